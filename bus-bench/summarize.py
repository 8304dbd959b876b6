#!/usr/bin/env python3
"""Tables and ratios for busbench result files (spbus's reader of the nng-bench format).

usage: summarize.py FILE [FILE ...] [--csv] [--ratio LIB [--base nng]]

Reads the result lines written by bus-bench/harness (and by nng-bench's run.sh):
    [run=K ]lib=L scenario=S transport=T peers=N size=B bufs=default|large
        sendbuf=X recvbuf=Y metric=M value=V
Every other line is ignored.  For each configuration and metric it takes the median
and the range over the runs.

default       markdown tables per scenario, one column group per library
--csv         lib,scenario,transport,peers,size,bufs,metric,n,min,median,max
--ratio LIB   median(LIB) / median(BASE) for the headline metrics of every configuration
              that both libraries ran, with a verdict (lower latency / send cost and drop
              fraction are better, higher rates are better) and a geometric mean per metric
"""
import argparse
import math
import statistics
import sys
from collections import defaultdict

CONFIG_KEYS = ("lib", "scenario", "transport", "peers", "size", "bufs")

# headline metrics per scenario: (metric, True if a larger value is better)
HEADLINE = {
    "fanout": (("lat_p50_us", False), ("lat_p99_us", False), ("send_call_p50_ns", False)),
    "fanout_aio": (("lat_p50_us", False), ("lat_p99_us", False), ("send_call_p50_ns", False)),
    "rx": (("rx_msgs_per_s", True), ("rx_MB_per_s", True), ("drop_frac", False)),
    "bcast": (("tx_msgs_per_s", True), ("rx_msgs_per_s", True), ("drop_frac", False)),
}

LIB_ORDER = ("none", "nng", "nanomsg", "spbus")


class Results:
    """Values per (config, metric) and the buffer depths each library reported."""

    def __init__(self):
        self.values = defaultdict(list)  # (config tuple, metric) -> [float]
        self.bufs = {}  # (lib, bufs) -> "sendbuf/recvbuf"
        self.skipped = 0

    def add_file(self, path):
        with open(path) as fh:
            for raw in fh:
                self.add_line(raw.strip())

    def add_line(self, line):
        if line.startswith("run="):
            line = line.partition(" ")[2]
        if not line.startswith("lib="):
            return
        fields = {}
        for tok in line.split():
            name, _, val = tok.partition("=")
            fields[name] = val
        try:
            config = tuple(fields[k] for k in CONFIG_KEYS)
            metric = fields["metric"]
            value = float(fields["value"])
        except (KeyError, ValueError):
            self.skipped += 1
            return
        self.values[(config, metric)].append(value)
        if config[0] != "none":
            self.bufs[(config[0], config[5])] = "%s/%s" % (fields.get("sendbuf", "?"), fields.get("recvbuf", "?"))

    def libs(self):
        present = {cfg[0] for cfg, _ in self.values}
        ordered = [l for l in LIB_ORDER if l in present]
        return ordered + sorted(present - set(ordered))

    def median(self, config, metric):
        vals = self.values.get((config, metric))
        return statistics.median(vals) if vals else None

    def runs(self):
        return max((len(v) for v in self.values.values()), default=0)


def sort_key(row):
    return tuple((0, int(x), "") if x.isdigit() else (1, 0, x) for x in row)


def fmt(x, kind):
    if x is None:
        return "-"
    if math.isnan(x) or math.isinf(x):
        return str(x)
    if kind == "us":
        return "%.0f" % x if x >= 100 else "%.1f" % x
    if kind == "ns":
        return "%.1fk" % (x / 1e3) if x >= 1e4 else "%.0f" % x
    if kind == "rate":
        return "%.2fM" % (x / 1e6) if x >= 1e6 else "%.1fK" % (x / 1e3)
    if kind == "frac":
        return "%.1f%%" % (100 * x)
    if kind == "mb":
        return "%.1f" % x
    return "%g" % x


def cell(res, config, metric, kind):
    vals = res.values.get((config, metric))
    if not vals:
        return "-"
    med = statistics.median(vals)
    if len(vals) == 1:
        return fmt(med, kind)
    return "%s [%s–%s]" % (fmt(med, kind), fmt(min(vals), kind), fmt(max(vals), kind))


# (title, scenario, row fields, columns, row filter on the config dict)
SECTIONS = (
    ("0. Machine baseline: raw 64 B socket hop to a blocked thread (no library)", "baseline",
     ("transport",), (("one-way p50 µs", "oneway_p50_us", "us"), ("one-way p99 µs", "oneway_p99_us", "us")), None),
    ("1. Fanout latency, 64 B (send -> last peer has it)", "fanout",
     ("transport", "bufs", "peers"),
     (("p50 µs", "lat_p50_us", "us"), ("p99 µs", "lat_p99_us", "us"), ("send ns", "send_call_p50_ns", "ns")), None),
    ("1b. Fanout latency, NNG with aio-callback receivers (no receiver threads)", "fanout_aio",
     ("transport", "bufs", "peers"),
     (("p50 µs", "lat_p50_us", "us"), ("p99 µs", "lat_p99_us", "us"), ("send ns", "send_call_p50_ns", "ns")), None),
    ("2. Receive throughput, 64 B, N senders -> 1 receiver", "rx",
     ("transport", "bufs", "peers"),
     (("rx msg/s", "rx_msgs_per_s", "rate"), ("drop", "drop_frac", "frac"), ("tx msg/s", "tx_msgs_per_s", "rate")),
     lambda c: c["size"] == "64"),
    ("3. Broadcast throughput, 64 B, 1 sender -> N receivers", "bcast",
     ("transport", "bufs", "peers"),
     (("tx msg/s", "tx_msgs_per_s", "rate"), ("delivered msg/s", "rx_msgs_per_s", "rate"), ("drop", "drop_frac", "frac")),
     None),
    ("4. Payload sweep of scenario 2 (1 sender)", "rx",
     ("transport", "bufs", "size"),
     (("MB/s", "rx_MB_per_s", "mb"), ("rx msg/s", "rx_msgs_per_s", "rate"), ("drop", "drop_frac", "frac")),
     lambda c: c["peers"] == "1"),
)


def section(res, title, scenario, row_fields, columns, keep):
    # configs of this scenario, grouped by row (the row fields), per library
    by_row = defaultdict(dict)  # row -> lib -> config
    for config, _ in res.values:
        c = dict(zip(CONFIG_KEYS, config))
        if c["scenario"] != scenario or (keep is not None and not keep(c)):
            continue
        by_row[tuple(c[f] for f in row_fields)][c["lib"]] = config
    if not by_row:
        return []
    libs = [l for l in res.libs() if any(l in per_lib for per_lib in by_row.values())]
    header = list(row_fields) + ["%s %s" % (lib, label) for lib in libs for label, _, _ in columns]
    lines = ["", "### " + title, "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in sorted(by_row, key=sort_key):
        cells = list(row)
        for lib in libs:
            config = by_row[row].get(lib)
            for _, metric, kind in columns:
                cells.append(cell(res, config, metric, kind) if config else "-")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def tables(res):
    bufs = ", ".join("%s %s=%s" % (lib, b, v) for (lib, b), v in sorted(res.bufs.items()))
    out = ["Cells: median [min–max] over %d run(s). bufs (sendbuf/recvbuf): %s" % (res.runs(), bufs)]
    for title, scenario, row_fields, columns, keep in SECTIONS:
        out += section(res, title, scenario, row_fields, columns, keep)
    return out


def ratios(res, lib, base):
    out = ["| scenario | transport | bufs | peers | size | metric | %s | %s | %s/%s | verdict |" % (base, lib, lib, base),
           "|---|---|---|---|---|---|---|---|---|---|"]
    logs = defaultdict(list)  # (scenario, metric) -> [log ratio]
    rows = []
    for (config, metric) in res.values:
        if config[0] != base:
            continue
        wanted = dict(HEADLINE.get(config[1], ()))
        if metric not in wanted:
            continue
        other = (lib,) + config[1:]
        b = res.median(config, metric)
        o = res.median(other, metric)
        if o is None:
            continue
        rows.append((config, metric, b, o, wanted[metric]))
    for config, metric, b, o, higher_better in sorted(rows, key=lambda r: sort_key((r[0][1], r[0][2], r[0][5], r[0][3], r[0][4], r[1]))):
        if b > 0 and o > 0:
            r = o / b
            logs[(config[1], metric)].append(math.log(r))
            ratio = "%.2f" % r
            better = r > 1 if higher_better else r < 1
            verdict = "same" if abs(r - 1) < 0.05 else ("better" if better else "worse")
        elif b == o:
            ratio, verdict = "-", "same"
        else:
            ratio = "-"
            verdict = "better" if (o > b) == higher_better else "worse"
        out.append("| %s | %s | %s | %s | %s | %s | %.3f | %.3f | %s | %s |" % (
            config[1], config[2], config[5], config[3], config[4], metric, b, o, ratio, verdict))
    if logs:
        out += ["", "Geometric mean of %s/%s per metric (over the configurations above with both values > 0):" % (lib, base),
                ""]
        for (scenario, metric), ls in sorted(logs.items()):
            out.append("  %-10s %-18s %6.2f  (n=%d)" % (scenario, metric, math.exp(sum(ls) / len(ls)), len(ls)))
    return out


def csv_rows(res):
    out = [",".join(CONFIG_KEYS) + ",metric,n,min,median,max"]
    for (config, metric) in sorted(res.values):
        v = res.values[(config, metric)]
        out.append(",".join(config) + ",%s,%d,%.3f,%.3f,%.3f" % (metric, len(v), min(v), statistics.median(v), max(v)))
    return out


def main(argv):
    ap = argparse.ArgumentParser(description="Summarize busbench result files.")
    ap.add_argument("files", nargs="+")
    ap.add_argument("--csv", action="store_true", help="one CSV row per configuration and metric")
    ap.add_argument("--ratio", metavar="LIB", help="print median(LIB)/median(BASE) for the headline metrics")
    ap.add_argument("--base", metavar="BASE", default="nng", help="the reference library for --ratio (default nng)")
    args = ap.parse_args(argv)
    res = Results()
    for path in args.files:
        res.add_file(path)
    if res.skipped:
        print("warning: %d malformed result line(s) skipped" % res.skipped, file=sys.stderr)
    if args.csv:
        lines = csv_rows(res)
    elif args.ratio:
        lines = ratios(res, args.ratio, args.base)
    else:
        lines = tables(res)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
