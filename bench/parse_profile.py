"""CPU per device config in the parse loop, and where it goes.

    python bench/parse_profile.py [DIR] [--devices 300] [--runs 3] [--profile N]

Generates the bench's mixed set (bench/generate.py, 10 % campus configs) unless DIR holds one, then times
``parse_device`` on each config with ``time.process_time()`` (CPU, so the figure holds under load) and
prints the median of the per-run means. ``--profile N`` adds a cProfile table of the top N functions.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402

from parsers.common import read_text  # noqa: E402
from parsers.registry import parse_device  # noqa: E402


def configs(folder: Path) -> list[tuple[str, str]]:
    found = sorted(os.path.join(r, f) for r, _, fs in os.walk(folder / "devices") for f in fs)
    return [(f, read_text(f)) for f in found]


def one_run(items: list[tuple[str, str]]) -> float:
    """Mean CPU seconds per config: the parse only, not the read."""
    total = 0.0
    for name, text in items:
        start = time.process_time()
        parse_device(text, name)
        total += time.process_time() - start
    return total / len(items)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path, nargs="?")
    ap.add_argument("--devices", type=int, default=300)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--profile", type=int, default=0, metavar="N")
    a = ap.parse_args()
    folder = a.folder or Path(tempfile.mkdtemp(prefix="parse-profile-"))
    if not (folder / "devices").exists():
        generate(folder, a.devices, campus=0.1)
    items = configs(folder)
    one_run(items[:8])  # import the vendor modules outside the timed runs
    means = [one_run(items) for _ in range(a.runs)]
    print(f"{len(items)} configs, {sum(t.count(chr(10)) for _, t in items):,} lines: parse CPU per config "
          f"median {statistics.median(means) * 1e3:.2f} ms (runs: {', '.join(f'{m * 1e3:.2f}' for m in means)})")
    if a.profile:
        prof = cProfile.Profile()
        prof.enable()
        one_run(items)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(a.profile)


if __name__ == "__main__":
    main()
