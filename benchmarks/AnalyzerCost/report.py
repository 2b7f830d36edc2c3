#!/usr/bin/env python3
"""Summarizes run.sh's replayed binlogs: our analyzers' time against the compiler's (Csc task) time.

usage: report.py RESULTS_DIR CONFIG...   (reads RESULTS_DIR/<config>-<n>.log and .wall)
Each log is a binlog replayed (one build; when it ran Csc several times, e.g. for two projects, the
analyzer reports of all its Csc invocations are summed, as the Csc task time of the summary is) at detailed verbosity with the performance summary; -p:ReportAnalyzer=true
makes csc print per-assembly and per-analyzer execution times (summed over threads: analyzers run
concurrently, so the sum can exceed the wall time of the compilation).
"""
import glob
import os
import re
import statistics
import sys

TIME = r"(<?[0-9.]+)"


def seconds(text):
    return 0.0005 if text.startswith("<") else float(text)


def parse(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    run = {"csc": None, "total": None, "assemblies": {}, "analyzers": {}}
    section = None
    assembly = None
    for line in lines:
        m = re.search(r"^\s*(\d+) ms\s+Csc\s+(\d+) calls", line)
        if m:
            run["csc"] = int(m.group(1)) / 1000.0
            continue
        m = re.search(r"Total analyzer execution time: ([0-9.]+) seconds", line)
        if m:
            # One report per Csc invocation (a build of several projects has several): summed, like the
            # Csc task's time in the performance summary, which is the total over its calls.
            run["total"] = (run["total"] or 0.0) + float(m.group(1))
            run["cscCalls"] = run.get("cscCalls", 0) + 1
            section = "analyzers"
            assembly = None
            continue
        if "Total generator execution time" in line:
            section = None
            continue
        if section != "analyzers":
            continue
        m = re.match(r"^\s+" + TIME + r"\s+<?\d+\s+(\S.*?), Version=", line)
        if m:
            assembly = m.group(2)
            run["assemblies"][assembly] = run["assemblies"].get(assembly, 0.0) + seconds(m.group(1))
            continue
        m = re.match(r"^\s+" + TIME + r"\s+<?\d+\s+(\S+)(?: \((.*)\))?\s*$", line)
        if m and assembly:
            name = m.group(2)
            ids = m.group(3) or ""
            run["analyzers"][(assembly, name, ids)] = run["analyzers"].get((assembly, name, ids), 0.0) + seconds(m.group(1))
    if run["csc"] is None or run["total"] is None:
        raise SystemExit(f"{path}: no Csc time or no analyzer report (was -p:ReportAnalyzer=true passed and did Csc run?)")
    wall = path[:-4] + ".wall"
    run["wall"] = float(open(wall).read()) if os.path.exists(wall) else None
    return run


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def pct(part, whole):
    return f"{100.0 * part / whole:.3f} %" if part is not None and whole else "-"


def main():
    results, configs = sys.argv[1], sys.argv[2:]
    names = {"none": "with PeerNet, our analyzers not loaded", "with": "with PeerNet", "without": "without PeerNet (bail-out)", "ca2000": "with PeerNet + CA2000 on"}
    print()
    print("| configuration | runs | build wall (s) | Csc (s) | all analyzers (s) | PeerNet.Analyzers (s) | PeerNet % of Csc | CA2000 (s) | CA2000 % of Csc |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    details = []
    csc_by_config = {}
    for config in configs:
        pattern = re.compile(re.escape(config) + r"-(\d+)\.log$")
        paths = sorted((p for p in glob.glob(os.path.join(results, "*.log")) if pattern.search(os.path.basename(p))),
                       key=lambda p: int(pattern.search(os.path.basename(p)).group(1)))
        if not paths:
            print(f"| {names.get(config, config)} | 0 | - | - | - | - | - | - | - |")
            continue
        runs = [parse(p) for p in paths]
        ours = [sum(t for a, t in r["assemblies"].items() if a.startswith("PeerNet")) for r in runs]
        ca2000 = [sum(t for (a, n, ids), t in r["analyzers"].items() if "CA2000" in ids.split(", ")) for r in runs]
        shares = [o / r["csc"] for o, r in zip(ours, runs)]
        ca_shares = [c / r["csc"] for c, r in zip(ca2000, runs)]
        loaded = any(a.startswith("PeerNet") for r in runs for a in r["assemblies"])
        m_csc = median([r["csc"] for r in runs])
        csc_by_config[config] = (m_csc, median([r["wall"] for r in runs]))
        print(f"| {names.get(config, config)} | {len(runs)} | {median([r['wall'] for r in runs]):.1f} | {m_csc:.2f} | "
              f"{median([r['total'] for r in runs]):.2f} | {median(ours):.3f}{'' if loaded else ' (not listed)'} | "
              f"{100 * median(shares):.3f} % | {median(ca2000):.3f} | {100 * median(ca_shares):.3f} % |")
        rows = {}
        for r in runs:
            for (a, n, ids), t in r["analyzers"].items():
                if a.startswith("PeerNet") or "CA2000" in ids.split(", "):
                    rows.setdefault((a, n, ids), []).append(t)
        details.append((config, rows, [(o, r["csc"]) for o, r in zip(ours, runs)]))
    print()
    print("Medians over the runs; percentages are the median of the per-run ratios. Times of analyzers are")
    print("summed over threads (they run concurrently), Csc is the task's wall time.")
    if "none" in csc_by_config and "with" in csc_by_config:
        (csc0, wall0), (csc1, wall1) = csc_by_config["none"], csc_by_config["with"]
        print()
        print(f"Build cost of our analyzers (median Csc with them minus without, same project): {csc1 - csc0:+.2f} s "
              f"({100.0 * (csc1 - csc0) / csc0:+.2f} % of Csc); build wall {wall1 - wall0:+.2f} s ({100.0 * (wall1 - wall0) / wall0:+.2f} %).")
    for config, rows, per_run in details:
        print()
        print(f"{names.get(config, config)}: per run (PeerNet.Analyzers s / Csc s): " + ", ".join(f"{o:.3f}/{c:.1f}" for o, c in per_run))
        for (a, n, ids), ts in sorted(rows.items(), key=lambda kv: -median(kv[1])):
            print(f"  {median(ts):8.3f} s  {n} ({ids})")


if __name__ == "__main__":
    main()
