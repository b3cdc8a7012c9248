#!/usr/bin/env python3
"""Writes, as RESP on stdout, the commands that load N items into one filter or set.

usage: filter_population.py bloom|cuckoo|set N

Items are "item:<i>"; commands carry 1,000 items each (BF.MADD, CF.INSERT ... ITEMS,
SADD), for redis-cli --pipe. The filters are reserved for N items first (Bloom at a 1%
error rate, Cuckoo with the default bucket size of 2).
"""
import sys

kind, n = sys.argv[1], int(sys.argv[2])
out = sys.stdout.buffer


def command(*args):
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
    out.write(b"".join(parts))


if kind == "bloom":
    command("BF.RESERVE", "bf:mem", "0.01", n)
elif kind == "cuckoo":
    command("CF.RESERVE", "cf:mem", n)
batch = 1000
for start in range(0, n, batch):
    items = [b"item:%d" % i for i in range(start, min(n, start + batch))]
    if kind == "bloom":
        command("BF.MADD", "bf:mem", *items)
    elif kind == "cuckoo":
        command("CF.INSERT", "cf:mem", "ITEMS", *items)
    else:
        command("SADD", "set:mem", *items)
