#!/usr/bin/env python3
"""Turns the measurements of one bench/run into its table.

usage: report.py MEASUREMENTS META OUTDIR

MEASUREMENTS has one tab-separated line per measurement, written by bench/run:
    throughput  TEST  PIPELINE  REQUESTS  REDIS_RPS  CAIRN_RPS
    memory      DATASET  rss|rss_gc|live  SERVER  ITEMS  BYTES_BEFORE  BYTES_AFTER
    persistence NAME  REDIS_SECONDS  CAIRN_SECONDS  GOAL   (GOAL "<= x" on cairn/redis, or "(info)")
where a figure may be a word instead of a number (n/a: the server does not have the
command; error, timeout: the run failed). META has "name: value" lines describing the run.
Prints the table and writes OUTDIR/results.csv and OUTDIR/results.md.
"""
import csv
import sys

THROUGHPUT_GOAL = 0.8  # Cairn's requests/sec at least this fraction of Redis's
MEMORY_GOAL = 1.5      # Cairn's RSS bytes per item at most this multiple of Redis's

MEMORY_ROWS = {
    "rss": "RSS bytes/{unit}",
    "rss_gc": "RSS bytes/{unit} after a full GC (cairn; redis as above)",
    "live": "data bytes/{unit} (redis used_memory, cairn heap after full GC)",
}

# What one item of each data set is (bench/lib/population.py).
DATASET_UNITS = {"strings": "key", "hashes": "hash of 5 fields", "intset": "set member", "zset": "zset member", "lists": "list element",
                 "streams": "stream entry"}


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def shown(value, digits=0):
    if isinstance(value, str):
        return value
    return f"{value:,.{digits}f}"


def main(measurements_path, meta_path, outdir):
    rows = []  # section, row, redis, cairn, ratio, goal, status, detail
    memory = {}
    with open(measurements_path) as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if fields[0] == "throughput":
                _, test, pipeline, requests, redis, cairn = fields
                name = test if pipeline == "1" else f"{test} -P{pipeline}"
                r, c = number(redis), number(cairn)
                ratio = c / r if r and c is not None else None
                status = "n/a" if ratio is None else ("ok" if ratio >= THROUGHPUT_GOAL else "below goal")
                rows.append(["throughput", name, r if r is not None else redis, c if c is not None else cairn,
                             ratio, f">= {THROUGHPUT_GOAL}", status, f"requests={requests}"])
            elif fields[0] == "persistence":
                _, name, redis, cairn, goal = fields
                r, c = number(redis), number(cairn)
                ratio = c / r if r and c is not None else None
                if goal.startswith("<="):
                    limit = float(goal[2:])
                    status = "n/a" if ratio is None else ("ok" if ratio <= limit else "above goal")
                else:
                    status = ""
                rows.append(["persistence", name, r if r is not None else redis, c if c is not None else cairn,
                             ratio, goal, status, ""])
            elif fields[0] == "memory":
                _, dataset, kind, server, keys, before, after = fields
                memory.setdefault((dataset, kind), {})[server] = (keys, before, after)

    datasets = list(dict.fromkeys(dataset for dataset, _ in memory))
    for dataset, kind, label in ((d, k, l) for d in datasets for k, l in MEMORY_ROWS.items()):
        if (dataset, kind) not in memory:
            continue
        label = f"{dataset}: " + label.format(unit=DATASET_UNITS.get(dataset, "item"))
        per_key, details = {}, []
        for server in ("redis", "cairn"):
            keys, before, after = memory[(dataset, kind)].get(server, ("n/a", "n/a", "n/a"))
            k, b, a = number(keys), number(before), number(after)
            if None in (k, b, a) or k == 0:
                per_key[server] = after if number(after) is None else "n/a"
            else:
                per_key[server] = (a - b) / k
            if None not in (k, b, a):
                details.append(f"{server} {b / 2**20:.1f} -> {a / 2**20:.1f} MiB for {k:,.0f} items")
        r, c = per_key["redis"], per_key["cairn"]
        ratio = c / r if isinstance(r, float) and isinstance(c, float) and r > 0 else None
        if kind == "rss":
            goal = f"<= {MEMORY_GOAL}"
            status = "n/a" if ratio is None else ("ok" if ratio <= MEMORY_GOAL else "above goal")
        else:
            goal, status = "(info)", ""
        rows.append(["memory", label, r, c, ratio, goal, status, "; ".join(details)])

    meta = []
    with open(meta_path) as f:
        for line in f:
            if ":" in line:
                name, value = line.rstrip("\n").split(":", 1)
                meta.append((name.strip(), value.strip()))

    def cells(row):
        section, name, r, c, ratio, goal, status, _ = row
        digits = {"throughput": 0, "memory": 1}.get(section, 3)
        return [name, shown(r, digits), shown(c, digits), "" if ratio is None else f"{ratio:.2f}", goal, status]

    # Text table on stdout, one block per section.
    for section, heads in (("throughput", ["row", "redis ops/s", "cairn ops/s", "cairn/redis", "goal", "status"]),
                           ("memory", ["memory", "redis", "cairn", "cairn/redis", "goal", "status"]),
                           ("persistence", ["persistence", "redis", "cairn", "cairn/redis", "goal", "status"])):
        block = [cells(row) for row in rows if row[0] == section]
        if not block:
            continue
        widths = [max(len(h), *(len(b[i]) for b in block)) for i, h in enumerate(heads)]
        print()
        print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(heads, widths))))
        for b in block:
            print("  ".join(x.ljust(w) if i == 0 else x.rjust(w) for i, (x, w) in enumerate(zip(b, widths))))
    print()

    with open(f"{outdir}/results.csv", "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["section", "row", "redis", "cairn", "cairn_per_redis", "goal", "status", "detail"])
        for section, name, r, c, ratio, goal, status, detail in rows:
            out.writerow([section, name,
                          r if isinstance(r, str) else f"{r:.1f}",
                          c if isinstance(c, str) else f"{c:.1f}",
                          "" if ratio is None else f"{ratio:.3f}", goal, status, detail])

    with open(f"{outdir}/results.md", "w") as f:
        f.write("# Cairn vs redis-server\n\n")
        for name, value in meta:
            f.write(f"- {name}: {value}\n")
        for section, heads in (("throughput", ["row", "redis ops/s", "cairn ops/s", "cairn/redis", "goal", "status"]),
                               ("memory", ["memory", "redis", "cairn", "cairn/redis", "goal", "status", "detail"]),
                               ("persistence", ["persistence", "redis", "cairn", "cairn/redis", "goal", "status"])):
            block = [row for row in rows if row[0] == section]
            if not block:
                continue
            f.write(f"\n## {section}\n\n| " + " | ".join(heads) + " |\n|" + "---|" * len(heads) + "\n")
            for row in block:
                line = cells(row) + ([row[7]] if section == "memory" else [])
                f.write("| " + " | ".join(line) + " |\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
