"""The benchmark suite. Prints its figures (medians of several runs); nothing here asserts a timing.

    python bench/run.py [--quick] [--counts 1000,5000,20000] [--workdir DIR]

1. cold start of `ipsec-preflight check` on one pair, next to `python -c pass`  (target < 0.35 s and < 8x)
2. one 50,000-line core-router config, parsed and checked                        (target < 0.3 s)
3. `audit` throughput on mixed generated configs, with peak memory of the whole process tree
                                                                                 (target >= 500 configs/s, < 1 GiB, flat)
4. lower bound: pure Python reading every file of the audit set and splitting it into lines
5. bounded work (issue 12): the hostile inputs of tests/test_bounded_work.py (100x100 CIDRs, ASA object-groups,
   a 50,000-line crypto ACL, a 2 MB transform-set line, a 100 KB suppression comment, 191 KB of blank lines,
   3,000 overlapping connections), each one CLI run: wall, CPU and peak memory    (target < 2 s and < 200 MB each)
   and the regex sweep of that file (every parser/analyzer regex on 200 KB adversarial strings)
6. Alibaba JSON line numbers (issue 13): loading a 1,000-connection DescribeVpnConnections page, without and with
   annotate of 100 findings (and a 4,000-connection page, about 10 MB, unless --quick)
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from generate import device_config, generate  # noqa: E402

EXE = str(Path(sys.executable).with_name("ipsec-preflight"))


def wall(cmd: list[str], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return times


def _tree_rss(pid: int) -> int:
    """Memory (bytes) of a process and all its descendants, from /proc: the proportional set size (PSS),
    so pages that forked workers share copy-on-write with the parent are counted once, not per process
    (summing plain RSS double-counts them)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError):
            pass
        todo += children.get(p, [])
    return total


def run_with_peak(cmd: list[str]) -> tuple[float, int, int]:
    """(wall seconds, peak tree PSS bytes, exit code), sampling memory every 20 ms."""
    elapsed, _cpu, peak, _rss, code = run_with_usage(cmd)
    return elapsed, peak, code


def run_with_usage(cmd: list[str]) -> tuple[float, float, int, int, int]:
    """(wall s, CPU s = user + sys, peak tree PSS bytes sampled every 20 ms, peak RSS bytes from the kernel,
    exit code) of one run of ``cmd``."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.02)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    th.join()
    return elapsed, usage.ru_utime + usage.ru_stime, peak, usage.ru_maxrss * 1024, proc.returncode


def fig_bounded_work(work: Path) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    import test_bounded_work as bw
    for name, gen in bw.GENERATORS.items():
        folder = work / f"bounded-{name}"
        folder.mkdir(parents=True, exist_ok=True)
        args = gen(folder)
        elapsed, cpu, pss, rss, code = run_with_usage([EXE, *args, "--format", "json", "--output", os.devnull])
        print(f"5. bounded work {name:<30} wall {elapsed:5.2f} s, CPU {cpu:5.2f} s, peak RSS {rss / 2**20:5.0f} MiB "
              f"(PSS {pss / 2**20:4.0f} MiB; exit {code}; target < 2 s, < 200 MB)")
    t, c = time.perf_counter(), time.process_time()
    bw._regex_sweep()
    print(f"5. regex sweep  every regex on {len(bw._RUNS)} adversarial 200 KB strings: wall "
          f"{time.perf_counter() - t:5.2f} s, CPU {time.process_time() - c:5.2f} s (linear patterns: well under 2 s)")


def _page(connections: int) -> str:
    """A DescribeVpnConnections page as the API prints it: the fixture's connections (single and dual tunnel)
    repeated with their own ids and addresses."""
    import json
    page = json.loads((ROOT / "fixtures" / "alibaba" / "describe-vpn-connections-page.json").read_text())
    models = page["VpnConnections"]["VpnConnection"]
    items = []
    for i in range(connections):
        text = json.dumps(models[i % len(models)]).replace('"vco-', f'"vco-{i:05d}-')
        items.append(json.loads(text.replace("198.51.100.", f"10.{i // 250 % 250}.{i % 250}.")))
    page.update(TotalCount=connections, PageSize=connections, VpnConnections={"VpnConnection": items})
    return json.dumps(page, indent=2)


def fig_json_lines(runs: int, work: Path, sizes: list[int]) -> None:
    """Issue 13: the loader alone, then the same load plus annotate of 100 findings spread over the page (their
    Alibaba fields placed at JSON lines): the line index is built after the checks, for those fields only."""
    from analyzer.findings import AlibabaRef, Finding, PairResult, Report
    from analyzer.json_lines import annotate
    from parsers import alibaba

    for connections in sizes:
        path = work / f"page-{connections}.json"
        text = _page(connections)
        path.write_text(text)
        loads, placed = [], []
        for _ in range(runs):
            t = time.perf_counter()
            tunnels = alibaba.load(str(path), text=text)
            loads.append(time.perf_counter() - t)
            step = max(1, len(tunnels) // 100)
            refs = [AlibabaRef(file=t.file, field=t.endpoint.ike.proposals[0].src["dh_groups"].field)
                    for t in tunnels[::step][:100]]
            report = Report(version="bench", pairs=[PairResult(
                connection=None, tunnel=None, alibaba_file=str(path), device="-", vendor="-", endpoint=None,
                findings=[Finding(code="Bench", alibaba_code=None, severity="info", title="-", message="-",
                                  alibaba=r) for r in refs])])
            t = time.perf_counter()
            annotate(report, lambda file: text)
            placed.append(time.perf_counter() - t)
        located = sum(1 for r in refs if r.line)
        load, lines = statistics.median(loads), statistics.median(placed)
        print(f"6. JSON lines   {connections:,}-connection page ({len(text) / 2**20:4.1f} MiB, "
              f"{len(tunnels):,} tunnels): "
              f"load {load * 1000:6.1f} ms, load + annotate {len(refs)} findings {(load + lines) * 1000:6.1f} ms "
              f"(annotate {lines * 1000:5.1f} ms; {located}/{len(refs)} placed; median of {runs})")


def fig_cold_start(runs: int) -> None:
    # An installed wheel ships compiled bytecode; make sure a checkout measured here has it too, even under
    # PYTHONDONTWRITEBYTECODE (otherwise every start recompiles our ~40 modules: +50 ms).
    import compileall
    for pkg in ("analyzer", "parsers"):
        compileall.compile_dir(ROOT / pkg, quiet=1)
    base = wall([sys.executable, "-c", "pass"], runs)
    check = wall([EXE, "check", "fixtures/example/connection.json", "fixtures/example/branch-router.cfg"], runs)
    b, c = statistics.median(base), statistics.median(check)
    print(f"1. cold start   python -c pass {b * 1000:6.1f} ms | ipsec-preflight check {c * 1000:6.1f} ms "
          f"= {c / b:4.1f}x   (median of {runs}; target < 350 ms and < 8x)")


def fig_core_config(runs: int, work: Path) -> None:
    import random

    from analyzer.checker import check
    from parsers import alibaba
    from parsers.common import read_text
    from parsers.registry import parse_device

    tunnels = alibaba.load(str(ROOT / "fixtures" / "pairs" / "ikev1-map.json"))
    for vendor in ("cisco-ios", "cisco-asa", "huawei-vrp", "h3c-comware"):
        path = work / f"core-{vendor}.cfg"
        text = device_config(0, vendor, 50_000, random.Random(1))
        # keep the template's addresses so it pairs with ikev1-map.json
        text = (ROOT / "fixtures" / "pairs" / {"cisco-ios": "ikev1-map.cfg", "cisco-asa": "ikev1-map.asa.cfg",
                                               "huawei-vrp": "ikev1-map.huawei.cfg",
                                               "h3c-comware": "ikev1-map.h3c.cfg"}[vendor]).read_text()
        filler = device_config(0, vendor, 50_000, random.Random(1)).splitlines()
        text = "\n".join(filler[:50_000 - text.count("\n")]) + "\n" + text
        path.write_text(text)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            dev = parse_device(read_text(path), str(path))
            results = check(tunnels, dev)
            times.append(time.perf_counter() - t)
        lines = text.count("\n")
        print(f"2. core config  {vendor:<12} {lines:,} lines: parse + check {statistics.median(times) * 1000:6.1f} ms "
              f"(median of {runs}, in process; {len(results[0].findings)} finding(s); target < 300 ms)")
    cli = wall([EXE, "check", str(ROOT / "fixtures" / "pairs" / "ikev1-map.json"), str(work / "core-cisco-ios.cfg")], runs)
    print(f"   same, cisco-ios, whole CLI run incl. interpreter start: {statistics.median(cli) * 1000:6.1f} ms")


def fig_audit(counts: list[int], work: Path, campus: float) -> dict[int, Path]:
    sets = {}
    for n in counts:
        d = work / f"audit-{n}"
        if not d.exists():
            t = time.perf_counter()
            info = generate(d, n, campus=campus)
            print(f"   generated {n:,} devices ({info['branch']:,} branch, {info['campus']:,} campus; "
                  f"{info['lines']:,} lines) in {time.perf_counter() - t:.1f} s")
        sets[n] = d
        elapsed, peak, code = run_with_peak([EXE, "audit", str(d), "--format", "json", "--output", os.devnull])
        print(f"3. audit        {n:>6,} configs: {elapsed:6.2f} s = {n / elapsed:6.0f} configs/s, peak RSS "
              f"{peak / 2**20:6.0f} MiB PSS (exit {code}; target >= 500/s, < 1 GiB, flat)")
    return sets


def fig_lower_bound(folder: Path) -> None:
    files = [os.path.join(r, f) for r, _, fs in os.walk(folder) for f in fs]
    t = time.perf_counter()
    lines = 0
    for f in files:
        with open(f, "rb") as fh:
            lines += len(fh.read().decode("utf-8").splitlines())
    elapsed = time.perf_counter() - t
    print(f"4. lower bound  read + split {len(files):,} files ({lines:,} lines) in pure Python, one core: "
          f"{elapsed:6.2f} s = {len(files) / elapsed:6.0f} files/s")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer runs and only 1,000 audit configs")
    ap.add_argument("--counts", default="1000,5000,20000")
    ap.add_argument("--campus", type=float, default=0.1, help="share of ~5,000-line configs in the audit sets")
    ap.add_argument("--workdir", type=Path, default=None, help="keep generated sets here (reused when present)")
    ap.add_argument("--only", default="123456")
    a = ap.parse_args()
    runs = 5 if a.quick else 15
    counts = [1000] if a.quick else [int(c) for c in a.counts.split(",")]
    work = a.workdir or Path(tempfile.mkdtemp(prefix="ipsec-preflight-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPU(s), work dir {work}")
    try:
        if "1" in a.only:
            fig_cold_start(runs)
        if "2" in a.only:
            fig_core_config(max(3, runs // 3), work)
        sets = fig_audit(counts, work, a.campus) if "3" in a.only else {}
        if "4" in a.only:
            target = sets.get(5000) or sets.get(max(sets)) if sets else None
            if target is None:
                target = work / "audit-1000"
                if not target.exists():
                    generate(target, 1000, campus=a.campus)
            fig_lower_bound(target)
        if "5" in a.only:
            fig_bounded_work(work)
        if "6" in a.only:
            fig_json_lines(max(3, runs // 3), work, [1000] if a.quick else [1000, 4000])
    finally:
        if a.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
