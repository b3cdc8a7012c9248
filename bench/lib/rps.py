#!/usr/bin/env python3
"""Prints the requests/sec of one test from `redis-benchmark --csv` output on stdin.

usage: rps.py TEST   (a -t name such as SET, MSET or LRANGE_100)

redis-benchmark labels rows "MSET (10 keys)" or "LRANGE_100 (first 100 elements)", and
adds helper rows such as "LPUSH (needed to benchmark LRANGE)"; the row wanted is the one
whose first word is the test name and that is not a helper row. Prints nothing when the
row is missing.
"""
import csv
import sys

wanted = sys.argv[1].upper()
for record in csv.reader(sys.stdin):
    if len(record) < 2 or record[0] == "test":
        continue
    label = record[0]
    if "needed" in label:
        continue
    if label.split(" ", 1)[0].upper() == wanted:
        print(record[1])
        break
