"""The benchmark suite. Prints its figures (medians of several runs); nothing here asserts a timing.

    python bench/run.py [--quick] [--counts 1000,5000,20000] [--workdir DIR] [--only 1234567] [--no-valgrind]

The CLI figures run the project as a user installs it: bench/wheel_env.py builds a wheel of the source tree and
installs it into a fresh venv (cached in --workdir, else bench/.data, rebuilt when the source changes); the
editable dev venv's import hook would slow `python -c pass` and flatter every ratio.
1. cold start of `check` on the example pair, `hook` on one device file and `explain PfsMismatch`, each against
   `python -c pass` of the same venv: wall and CPU time, ratios, instruction counts (valgrind, when present);
   and whether `check` without --connection imports the Alibaba SDK (-X importtime)   (target <= 15x)
2. one 50,000-line core-router config, parsed and checked                        (target < 0.3 s)
3. `audit` on mixed generated configs: configs/s, CPU per config, peak PSS of the whole process tree at each
   count, and the growth from the smallest to the largest count       (targets <= 3.3 ms/config, <= 1.5x growth)
4. lower bound: pure Python reading every file of the audit set and splitting it into lines
5. bounded work (issue 12): the hostile inputs of tests/test_bounded_work.py (100x100 CIDRs, ASA object-groups,
   a 50,000-line crypto ACL, a 2 MB transform-set line, a 100 KB suppression comment, 191 KB of blank lines,
   3,000 overlapping connections), each one CLI run: wall, CPU and peak memory    (target < 2 s and < 200 MB each)
   and the regex sweep of that file (every parser/analyzer regex on 200 KB adversarial strings)
6. Alibaba JSON line numbers (issue 13): loading a 1,000-connection DescribeVpnConnections page, without and with
   annotate of 100 findings (and a 4,000-connection page, about 10 MB, unless --quick)
7. the HTML report of a 1,000-device audit (bench/html_scale.py): render, size, browser load and filter times
"""
from __future__ import annotations

import argparse
import importlib.util
import os
import re
import resource
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
        # ru_maxrss counts the child from fork, before exec, when it is still a copy of this (large) bench
        # process: it says something only when above the bench's own peak
        own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        rss_text = f"peak RSS {rss / 2**20:5.0f} MiB" if rss > own else f"peak RSS <= bench's {own / 2**20:.0f} MiB"
        print(f"5. bounded work {name:<30} wall {elapsed:5.2f} s, CPU {cpu:5.2f} s, peak PSS {pss / 2**20:4.0f} MiB "
              f"({rss_text}; exit {code}; target < 2 s, < 200 MB)")
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


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, int]:
    """(wall s, CPU s = user + sys of the child and its waited-for children, exit code): no sampler thread, so
    the bench itself adds nothing to the figure."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_utime + usage.ru_stime, proc.returncode


def instructions(cmd: list[str], cwd: Path) -> int | None:
    """Instructions executed (valgrind callgrind's "Collected"): unlike time, they hold on a loaded machine."""
    if not shutil.which("valgrind"):
        return None
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd], cwd=cwd,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    found = re.search(r"Collected : (\d+)", out.stderr)
    return int(found.group(1)) if found else None


SDK_TOP = ("alibabacloud", "Tea", "darabonba")  # the official SDK's top-level packages


def sdk_imports(python: str, cmd: list[str], cwd: Path) -> tuple[list[str], int]:
    """(SDK modules imported, modules imported in all) by ``python -X importtime cmd``."""
    out = subprocess.run([python, "-X", "importtime", *cmd], cwd=cwd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)", out.stderr, re.M)
    return [n for n in names if n.split(".")[0].startswith(SDK_TOP)], len(names)


def fig_cold_start(runs: int, venv: Path, work: Path, valgrind: bool) -> None:
    """Issue 16 item 1: each command against `python -c pass` of the same wheel-installed venv, wall and CPU
    time (medians, commands interleaved so the machine's load hits them alike) and instruction counts."""
    py, exe = str(venv / "bin" / "python"), str(venv / "bin" / "ipsec-preflight")
    hook_dir = work / "hook"  # no .ipsec-preflight.toml here: the hook lints the one file
    hook_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "fixtures" / "example" / "branch-router.cfg", hook_dir / "branch-router.cfg")
    example = ROOT / "fixtures" / "example"
    rows = [("python -c pass", [py, "-c", "pass"], work),
            ("check example pair", [exe, "check", str(example / "connection.json"),
                                    str(example / "branch-router.cfg")], work),
            ("hook one device file", [exe, "hook", "branch-router.cfg"], hook_dir),
            ("explain PfsMismatch", [exe, "explain", "PfsMismatch"], work)]
    dev_floor = [sys.executable, "-c", "pass"]
    figures: dict[str, list[tuple[float, float, int]]] = {name: [] for name, _, _ in rows}
    figures["editable dev venv: python -c pass"] = []
    for _ in range(runs):
        for name, cmd, cwd in rows:
            figures[name].append(timed(cmd, cwd))
        figures["editable dev venv: python -c pass"].append(timed(dev_floor, work))
    counts = {name: instructions(cmd, cwd) for name, cmd, cwd in rows} if valgrind else {}
    if valgrind:
        counts["editable dev venv: python -c pass"] = instructions(dev_floor, work)
    print(f"1. cold start   wheel-installed venv {venv.name} (median of {runs} runs, interleaved; "
          f"ratio to python -c pass of the same venv)")
    base_w = statistics.median(f[0] for f in figures["python -c pass"])
    base_c = statistics.median(f[1] for f in figures["python -c pass"])
    base_i = counts.get("python -c pass")
    for name, values in figures.items():
        w, c = statistics.median(v[0] for v in values), statistics.median(v[1] for v in values)
        i = counts.get(name)
        instr = (f" | {i / 1e6:7.0f} M instr = {i / base_i:5.1f}x" if i and base_i else
                 " | instructions: valgrind not run" if not valgrind else " | instructions: valgrind failed")
        print(f"   {name:<34} wall {w * 1000:6.1f} ms = {w / base_w:5.1f}x | CPU {c * 1000:6.1f} ms = "
              f"{c / base_c:5.1f}x{instr}  (exit {values[0][2]})")
    print("   target (issue 16): check and hook at most 15x the floor")
    sdk_python = sys.executable  # the dev venv has the [api] extra; the wheel venv has the plain install
    if importlib.util.find_spec("alibabacloud_vpc20160428") is None:
        print("   SDK import: not checked - the official SDK is not installed in this venv (pip install .[api])")
        return
    sdk, total = sdk_imports(sdk_python, [str(Path(sdk_python).with_name("ipsec-preflight")), "check",
                                          str(example / "connection.json"), str(example / "branch-router.cfg")], work)
    print(f"   SDK import: `check` without --connection imported {len(sdk)} SDK module(s) of {total} "
          f"(-X importtime, dev venv where the SDK is installed)" + (f": {', '.join(sdk[:5])}" if sdk else ""))


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
        times, cpus = [], []
        for _ in range(runs):
            t, c = time.perf_counter(), time.process_time()
            dev = parse_device(read_text(path), str(path))
            results = check(tunnels, dev)
            times.append(time.perf_counter() - t)
            cpus.append(time.process_time() - c)
        lines = text.count("\n")
        print(f"2. core config  {vendor:<12} {lines:,} lines: parse + check {statistics.median(times) * 1000:6.1f} ms, "
              f"CPU {statistics.median(cpus) * 1000:6.1f} ms (median of {runs}, in process; "
              f"{len(results[0].findings)} finding(s); target < 300 ms)")
    cli = wall([EXE, "check", str(ROOT / "fixtures" / "pairs" / "ikev1-map.json"), str(work / "core-cisco-ios.cfg")], runs)
    print(f"   same, cisco-ios, whole CLI run incl. interpreter start: {statistics.median(cli) * 1000:6.1f} ms")


def fig_audit(counts: list[int], work: Path, campus: float) -> dict[int, Path]:
    """Issue 16 items 3-5: throughput, CPU per config (user + sys of the whole process tree) and peak PSS."""
    sets, peaks = {}, {}
    for n in counts:
        d = work / f"audit-{n}"
        if not d.exists():
            t = time.perf_counter()
            info = generate(d, n, campus=campus)
            print(f"   generated {n:,} devices ({info['branch']:,} branch, {info['campus']:,} campus; "
                  f"{info['lines']:,} lines) in {time.perf_counter() - t:.1f} s")
        sets[n] = d
        elapsed, cpu, peak, _rss, code = run_with_usage([EXE, "audit", str(d), "--format", "json",
                                                         "--output", os.devnull])
        peaks[n] = peak
        print(f"3. audit        {n:>6,} configs: {elapsed:6.2f} s = {n / elapsed:6.0f} configs/s, CPU {cpu:6.2f} s = "
              f"{cpu / n * 1000:5.2f} ms/config, peak {peak / 2**20:6.0f} MiB PSS "
              f"= {peak / n / 1024:5.1f} KiB/config (exit {code})")
    if len(peaks) > 1:
        lo, hi = min(peaks), max(peaks)
        print(f"   memory growth: peak at {hi:,} = {peaks[hi] / peaks[lo]:4.2f}x the peak at {lo:,} "
              f"(issue 16 target: <= 1.5x; CPU target <= 3.3 ms/config)")
    return sets


def fig_html(quick: bool) -> None:
    """The HTML report at audit scale (bench/html_scale.py): render time, size, browser load and filter figures."""
    import html_scale
    print("7. HTML report at audit scale (bench/html_scale.py; its audit runs in the dev venv):")
    html_scale.main(["--devices", "1000", "--runs", "1" if quick else "3"])


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


def cli_venv(work_cache: Path) -> Path | None:
    """The wheel-installed venv (bench/wheel_env.py), or None with the reason printed: the figures then say that
    they were measured in the editable dev venv instead of silently doing so."""
    import wheel_env
    try:
        return wheel_env.ensure(work_cache)
    except (wheel_env.WheelEnvError, OSError, StopIteration) as e:
        print(f"   wheel venv NOT built ({e}); cold start skipped, other CLI figures use the editable dev venv")
        return None


def main() -> None:
    global EXE
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer runs and only 1,000 audit configs")
    ap.add_argument("--counts", default="1000,5000,20000")
    ap.add_argument("--campus", type=float, default=0.1, help="share of ~5,000-line configs in the audit sets")
    ap.add_argument("--workdir", type=Path, default=None, help="keep generated sets here (reused when present)")
    ap.add_argument("--only", default="1234567")
    ap.add_argument("--no-valgrind", action="store_true", help="skip the instruction counts of figure 1")
    a = ap.parse_args()
    runs = 5 if a.quick else 15
    counts = [1000] if a.quick else [int(c) for c in a.counts.split(",")]
    work = a.workdir or Path(tempfile.mkdtemp(prefix="ipsec-preflight-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPU(s), load average {load[0]:.2f} {load[1]:.2f} "
          f"{load[2]:.2f}, work dir {work}")
    try:
        venv = cli_venv(a.workdir or ROOT / "bench" / ".data") if set(a.only) & set("1235") else None
        if venv is not None:
            EXE = str(venv / "bin" / "ipsec-preflight")
        if "1" in a.only and venv is not None:
            fig_cold_start(runs, venv, work, valgrind=not a.no_valgrind)
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
        if "7" in a.only:
            fig_html(a.quick)
        load = os.getloadavg()
        print(f"load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    finally:
        if a.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
