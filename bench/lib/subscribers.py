#!/usr/bin/env python3
"""Holds N subscriber connections to one channel and reads everything sent to them.

usage: subscribers.py PORT COUNT CHANNEL

For the PUBLISH rows of bench/run: the server's fan-out to its subscribers is part of what
PUBLISH costs, so they must be there, and must keep reading at once (a subscriber that
lags lets its output buffer grow until the server disconnects it, or slows it down). The
replies are not parsed: each read only empties the socket. Runs until SIGTERM, then prints
to stderr how much it read and how many connections the server closed.
"""
import selectors
import signal
import socket
import sys


class Stopped(Exception):
    """SIGTERM: the row is over."""


def main(port, count, channel):
    selector = selectors.DefaultSelector()
    request = f"*2\r\n$9\r\nSUBSCRIBE\r\n${len(channel)}\r\n{channel}\r\n".encode()
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        s.sendall(request)
        s.setblocking(False)
        selector.register(s, selectors.EVENT_READ)

    def stop(*_):
        raise Stopped()

    signal.signal(signal.SIGTERM, stop)
    buffer = bytearray(1 << 20)
    received = closed = 0
    try:
        while closed < count:
            for key, _ in selector.select():
                try:
                    n = key.fileobj.recv_into(buffer)
                except BlockingIOError:
                    continue
                except OSError:
                    n = 0
                if n == 0:
                    selector.unregister(key.fileobj)
                    key.fileobj.close()
                    closed += 1
                received += n
    except Stopped:
        pass
    print(f"subscribers on port {port}: {count - closed} open, {closed} closed by the server, "
          f"{received} bytes read", file=sys.stderr)


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[3])
