"""Audit memory, split between the parent and its forked workers (issue 16 item 3).

    python bench/audit_memory.py [--counts 1000,5000] [--workdir bench/.data] [--exe PATH] [-- extra audit args]

Runs `ipsec-preflight audit bench/.data/audit-N --format json --output /dev/null` (the command bench/run.py's
figure 3 runs) once per count. Prints the peak PSS of the whole process tree (bench/run.py's run_with_usage,
the figure the issue's target is about) and, from a second sampler in the same run, the peak PSS of the parent
alone and of the largest worker, and their private bytes, so growth can be told apart. ``--exe`` defaults to the dev venv's console script
(editable install: its import hook adds a little memory to both counts alike; compare before/after in one venv).
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from run import run_with_usage  # noqa: E402


def _usage(pid: int) -> tuple[int, int]:
    """(PSS, private bytes = USS): a worker's PSS includes its share of the pages it still shares with the
    parent, so a growing parent makes every worker's PSS grow too; its private bytes are its own."""
    pss = private = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                elif line.startswith(("Private_Clean:", "Private_Dirty:")):
                    private += int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return pss, private


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return out


class SplitSampler:
    """Peak PSS of the audited command's process (the one whose parent is this script) and of its children."""

    def __init__(self) -> None:
        self.parent = self.worker = self.parent_own = self.worker_own = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self.done.is_set():
            for top in _children(me):
                pss, own = _usage(top)
                self.parent, self.parent_own = max(self.parent, pss), max(self.parent_own, own)
                for w in _children(top):
                    pss, own = _usage(w)
                    self.worker, self.worker_own = max(self.worker, pss), max(self.worker_own, own)
            time.sleep(0.05)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--counts", default="1000,5000")
    ap.add_argument("--workdir", default=str(ROOT / "bench" / ".data"))
    ap.add_argument("--exe", default=str(Path(sys.executable).with_name("ipsec-preflight")))
    ap.add_argument("extra", nargs="*", help="more audit arguments (after --)")
    a = ap.parse_args()
    peaks = {}
    for n in (int(c) for c in a.counts.split(",")):
        folder = Path(a.workdir) / f"audit-{n}"
        if not folder.is_dir():
            sys.exit(f"{folder}: no such set (bench/run.py --only 3 --workdir {a.workdir} generates it)")
        split = SplitSampler()
        split.thread.start()
        wall, cpu, peak, _rss, code = run_with_usage([a.exe, "audit", str(folder), "--format", "json",
                                                      "--output", os.devnull, *a.extra])
        split.done.set()
        split.thread.join()
        peaks[n] = peak
        print(f"audit {n:>6,}: wall {wall:6.1f} s, CPU {cpu:6.1f} s ({cpu / n * 1000:.2f} ms/config), "
              f"tree peak PSS {peak / 2**20:6.1f} MiB; peaks PSS / private: parent {split.parent / 2**20:5.1f} / "
              f"{split.parent_own / 2**20:5.1f} MiB, largest worker {split.worker / 2**20:5.1f} / "
              f"{split.worker_own / 2**20:5.1f} MiB (exit {code})", flush=True)
    if len(peaks) > 1:
        lo, hi = min(peaks), max(peaks)
        print(f"growth {lo:,} -> {hi:,}: {peaks[hi] / peaks[lo]:.2f}x, "
              f"{(peaks[hi] - peaks[lo]) / (hi - lo) / 1024:.2f} KiB per added config")


if __name__ == "__main__":
    main()
