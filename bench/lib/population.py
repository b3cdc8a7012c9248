#!/usr/bin/env python3
"""Writes the commands that load one memory data set, in RESP, to stdout for `redis-cli --pipe`.

usage: population.py DATASET COUNT

Data sets (COUNT is the number of keys, or of members for the one-key sets):
  strings  SET key:<i> value:<i>, the keys and values `DEBUG POPULATE COUNT` creates, so
           both load methods give the same data
  hashes   HSET hash:<i> with 5 small fields (name, age, city, score, flag)
  intset   one set `ints` of COUNT distinct integers, SADD 100 members at a time
  zset     one sorted set `board` of COUNT members `player:<i>` with scores, ZADD 100 at a time
  lists    one list `queue` of COUNT elements `job:<i>`, RPUSH 100 at a time
  streams  one stream `events` of COUNT entries (user, action, page), XADD with explicit IDs
"""
import sys


def command(*args):
    parts = [b"*%d\r\n" % len(args)]
    for a in args:
        parts.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(parts)


def strings(count):
    for i in range(count):
        yield command(b"SET", b"key:%d" % i, b"value:%d" % i)


def hashes(count):
    for i in range(count):
        yield command(b"HSET", b"hash:%d" % i, b"name", b"user%d" % i, b"age", b"%d" % (18 + i % 60),
                      b"city", b"city%d" % (i % 500), b"score", b"%d" % (i * 7 % 10000), b"flag", b"1")


def batched(count, key, verb, member_args):
    for start in range(0, count, 100):
        args = [verb, key]
        for i in range(start, min(count, start + 100)):
            args.extend(member_args(i))
        yield command(*args)


def intset(count):
    # Spread over a range larger than the count so members are not one dense run.
    return batched(count, b"ints", b"SADD", lambda i: [b"%d" % (i * 3 + 1)])


def zset(count):
    return batched(count, b"board", b"ZADD", lambda i: [b"%d" % (i * 7919 % 1000003), b"player:%d" % i])


def lists(count):
    return batched(count, b"queue", b"RPUSH", lambda i: [b"job:%d" % i])


def streams(count):
    # Explicit IDs (one millisecond apart, as a steady producer's) make both servers hold the same entries.
    for i in range(count):
        yield command(b"XADD", b"events", b"%d-0" % (1700000000000 + i), b"user", b"u%d" % (i % 10000),
                      b"action", b"click", b"page", b"/p/%d" % (i % 300))


DATASETS = {"strings": strings, "hashes": hashes, "intset": intset, "zset": zset, "lists": lists,
            "streams": streams}

if __name__ == "__main__":
    name, count = sys.argv[1], int(sys.argv[2])
    out = sys.stdout.buffer
    chunk = []
    for c in DATASETS[name](count):
        chunk.append(c)
        if len(chunk) == 10000:
            out.write(b"".join(chunk))
            chunk.clear()
    out.write(b"".join(chunk))
