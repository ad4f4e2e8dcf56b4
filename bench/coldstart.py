"""Cold start of `ipsec-preflight check` on the example pair, next to `python -c pass` (medians)."""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 15


def median_wall(cmd: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    exe = Path(sys.executable).with_name("ipsec-preflight")
    base = median_wall([sys.executable, "-c", "pass"])
    check = median_wall([str(exe), "check", "fixtures/example/connection.json", "fixtures/example/branch-router.cfg"])
    print(f"python -c pass          median {base * 1000:7.1f} ms ({RUNS} runs)")
    print(f"ipsec-preflight check   median {check * 1000:7.1f} ms  = {check / base:.1f}x python -c pass")
    print("targets: < 350 ms wall and < 8x python -c pass")


if __name__ == "__main__":
    main()
