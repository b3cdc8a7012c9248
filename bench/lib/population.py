#!/usr/bin/env python3
"""Writes COUNT `SET key:<i> value:<i>` commands in RESP to stdout, for `redis-cli --pipe`.

usage: population.py COUNT

The keys and values are those `DEBUG POPULATE COUNT` creates, so both load methods give
the same data set.
"""
import sys

count = int(sys.argv[1])
out = sys.stdout.buffer
chunk = []
for i in range(count):
    key = b"key:%d" % i
    value = b"value:%d" % i
    chunk.append(b"*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n" % (len(key), key, len(value), value))
    if len(chunk) == 10000:
        out.write(b"".join(chunk))
        chunk.clear()
out.write(b"".join(chunk))
