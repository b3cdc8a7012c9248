#!/usr/bin/env python3
"""Measures what a BGSAVE costs the clients of a server that already holds a data set.

usage: bgsave_stall.py PORT

While writer threads overwrite, delete and add keys, a pinger sends PING after PING; the
script starts BGSAVE and waits for INFO persistence to say it ended. Prints one line:
    <seconds the BGSAVE took> <longest PING round trip in ms during it> <writes during it>
    <extra bytes: rdb_last_cow_size, redis's copy-on-write or Cairn's pending bytes>
(For redis-server the longest stall includes the fork.)
"""
import random
import socket
import sys
import threading
import time


def connect(port):
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def command(*args):
    out = [f"*{len(args)}\r\n"]
    for a in args:
        a = str(a)
        out.append(f"${len(a.encode())}\r\n{a}\r\n")
    return "".join(out).encode()


class Replies:
    """Reads whole RESP replies (enough of RESP for these commands: no nested arrays)."""

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(1 << 16)
            if not chunk:
                raise EOFError
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def reply(self):
        line = self.line()
        if line[:1] == b"$":
            n = int(line[1:])
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self.buf += self.sock.recv(1 << 16)
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data
        return line


def info_field(port, name):
    s = connect(port)
    s.sendall(command("INFO", "persistence"))
    text = Replies(s).reply().decode()
    s.close()
    for line in text.split("\r\n"):
        if line.startswith(name + ":"):
            return line.split(":", 1)[1]
    return None


def main(port):
    keys = 1_000_000
    stop = threading.Event()
    measuring = threading.Event()
    writes = [0]
    stall = [0.0]

    def writer():
        s = connect(port)
        r = Replies(s)
        while not stop.is_set():
            batch = []
            for _ in range(100):
                k = random.randrange(keys)
                op = random.randrange(4)
                if op == 0:
                    batch.append(command("DEL", f"key:{k}"))
                elif op == 1:
                    batch.append(command("SET", f"new:{random.randrange(1 << 30)}", "x"))
                else:
                    batch.append(command("SET", f"key:{k}", "changed"))
            s.sendall(b"".join(batch))
            for _ in batch:
                r.reply()
            if measuring.is_set():
                writes[0] += len(batch)

    def pinger():
        s = connect(port)
        r = Replies(s)
        while not stop.is_set():
            t0 = time.perf_counter()
            s.sendall(command("PING"))
            r.reply()
            if measuring.is_set():
                stall[0] = max(stall[0], time.perf_counter() - t0)

    threads = [threading.Thread(target=writer) for _ in range(2)] + [threading.Thread(target=pinger)]
    for t in threads:
        t.start()
    time.sleep(1)
    s = connect(port)
    measuring.set()
    t0 = time.perf_counter()
    s.sendall(command("BGSAVE"))
    Replies(s).reply()
    while info_field(port, "rdb_bgsave_in_progress") != "0":
        time.sleep(0.01)
    seconds = time.perf_counter() - t0
    measuring.clear()
    stop.set()
    for t in threads:
        t.join()
    print(f"{seconds:.3f} {stall[0] * 1000:.1f} {writes[0]} {info_field(port, 'rdb_last_cow_size')}")


if __name__ == "__main__":
    main(int(sys.argv[1]))
