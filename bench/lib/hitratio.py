#!/usr/bin/env python3
"""Cache hit ratio of each maxmemory-policy, Cairn against redis-server 7.0.

A cache workload: keys drawn from a Zipf distribution over a fixed universe; each request
is a GET, and a miss is followed by a SET of the key (with a long TTL, so that the
volatile-* policies see every key). maxmemory is sized at a fraction (default 10%) of the
memory the whole universe takes on that server, measured first on that server. Both
servers get the same request sequence (same seed). The hit ratio is counted over the
second half of the requests, after the cache has warmed up.

usage: hitratio.py [--keys N] [--requests N] [--zipf S] [--fraction F] [--value-size B]
                   [--policies p1,p2] [--seed N] [--cairn-root DIR]
Started by bench/hit-ratio; starts and stops both servers itself.
"""
import argparse
import bisect
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

POLICIES = ["allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu",
            "volatile-random", "volatile-ttl"]
BATCH = 200  # requests pipelined at once: their GETs, then the SETs of the misses


class Connection:
    """A minimal RESP2 client with pipelining."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def send(self, commands):
        out = []
        for args in commands:
            out.append(b"*%d\r\n" % len(args))
            for a in args:
                a = a if isinstance(a, bytes) else str(a).encode()
                out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        self.sock.sendall(b"".join(out))
        return [self._reply() for _ in commands]

    def call(self, *args):
        return self.send([args])[0]

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind in (b"+", b":"):
            return rest
        if kind == b"-":
            return RuntimeError(rest.decode())
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                chunk = self.sock.recv(1 << 20)
                if not chunk:
                    raise ConnectionError("server closed the connection")
                self.buf += chunk
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data
        if kind == b"*":
            return [self._reply() for _ in range(int(rest))]
        raise ValueError("bad reply %r" % line)

    def info(self, field):
        for line in self.call("INFO", "memory").decode().split("\r\n"):
            if line.startswith(field + ":"):
                return int(line.split(":", 1)[1])
        raise KeyError(field)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(name, argv, port, workdir):
    log = open(os.path.join(workdir, name + ".log"), "w")
    proc = subprocess.Popen(argv, cwd=workdir, stdout=log, stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            c = Connection(port)
            if c.call("PING") == b"PONG":
                return proc, c
        except OSError:
            pass
        if proc.poll() is not None:
            sys.exit("%s exited during startup, see %s" % (name, log.name))
        time.sleep(0.1)
    sys.exit("%s did not answer PING" % name)


def zipf_sampler(n, s, rnd):
    weights = [1.0 / (k ** s) for k in range(1, n + 1)]
    total = sum(weights)
    cumulative, acc = [], 0.0
    for w in weights:
        acc += w / total
        cumulative.append(acc)
    # Ranks map to keys through a shuffle, so that popularity is not the key order.
    order = list(range(n))
    rnd.shuffle(order)
    return lambda: order[min(bisect.bisect_left(cumulative, rnd.random()), n - 1)]


def run_policy(c, policy, sequence, value, limit):
    c.call("FLUSHALL")
    c.call("CONFIG", "SET", "maxmemory", 0)
    c.call("CONFIG", "SET", "maxmemory-policy", policy)
    c.call("CONFIG", "RESETSTAT")
    c.call("CONFIG", "SET", "maxmemory", limit)
    hits = counted = 0
    half = len(sequence) // 2
    for start in range(0, len(sequence), BATCH):
        keys = sequence[start:start + BATCH]
        replies = c.send([("GET", b"key:%d" % k) for k in keys])
        misses = [k for k, r in zip(keys, replies) if r is None]
        if start >= half:
            counted += len(keys)
            hits += len(keys) - len(misses)
        if misses:
            c.send([("SET", b"key:%d" % k, value, "EX", 10_000_000) for k in misses])
    return hits / counted


def universe_bytes(c, keys, value):
    """used_memory taken by every key of the universe on this server."""
    c.call("FLUSHALL")
    c.call("CONFIG", "SET", "maxmemory", 0)
    before = c.info("used_memory")
    for start in range(0, keys, 1000):
        c.send([("SET", b"key:%d" % k, value, "EX", 10_000_000) for k in range(start, min(keys, start + 1000))])
    after = c.info("used_memory")
    c.call("FLUSHALL")
    return before, after - before


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--keys", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=1_000_000)
    ap.add_argument("--zipf", type=float, default=0.99)
    ap.add_argument("--fraction", type=float, default=0.10)
    ap.add_argument("--value-size", type=int, default=100)
    ap.add_argument("--policies", default=",".join(POLICIES))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cairn-root", default=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    args = ap.parse_args()

    rnd = random.Random(args.seed)
    draw = zipf_sampler(args.keys, args.zipf, rnd)
    sequence = [draw() for _ in range(args.requests)]
    value = b"v" * args.value_size
    workdir = tempfile.mkdtemp(prefix="cairn-hitratio-")
    servers = {}
    procs = []

    def stop(*_):
        for p in procs:
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
    signal.signal(signal.SIGTERM, lambda *a: (stop(), sys.exit(130)))
    try:
        port = free_port()
        proc, conn = start("redis", ["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                     "--save", "", "--appendonly", "no"], port, workdir)
        procs.append(proc)
        servers["redis"] = conn
        port = free_port()
        proc, conn = start("cairn", [os.path.join(args.cairn_root, "bin", "cairn-server"), "--port", str(port),
                                     "--bind", "127.0.0.1"], port, workdir)
        procs.append(proc)
        servers["cairn"] = conn

        limits = {}
        for name, c in servers.items():
            base, total = universe_bytes(c, args.keys, value)
            limits[name] = base + int(total * args.fraction)
            print("%-6s universe of %d keys: %.1f MB; maxmemory %d (used_memory at start %d + %.0f%%)"
                  % (name, args.keys, total / 1e6, limits[name], base, args.fraction * 100))
        print("%d requests, Zipf s=%.2f, values of %d bytes, hit ratio over the second half"
              % (args.requests, args.zipf, args.value_size))
        print("%-16s %8s %8s %12s" % ("policy", "redis", "cairn", "cairn/redis"))
        for policy in args.policies.split(","):
            ratios = {name: run_policy(c, policy, sequence, value, limits[name]) for name, c in servers.items()}
            r, k = ratios["redis"], ratios["cairn"]
            print("%-16s %8.4f %8.4f %12.3f" % (policy, r, k, k / r if r else float("nan")), flush=True)
    finally:
        stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
