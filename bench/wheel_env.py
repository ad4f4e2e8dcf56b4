"""A venv with the project installed from a wheel, as a user installs it: the honest floor for cold-start figures.

The development venv installs the project editable; its `.pth` import hook runs at every interpreter start and
makes even `python -c pass` about 2.3x slower, so a ratio measured there flatters the command. This module builds
a wheel from a copy of the source tree (`pip wheel --no-deps`, never touching the checkout), creates a fresh venv
with the base interpreter and installs the wheel into it, dependencies pinned to the versions of the development
venv (`pip freeze` as constraints) so both measure the same stack.

The venv is cached under the given folder, keyed by a hash of the files that go into the wheel and of the pinned
versions; it is rebuilt when either changes.
"""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What the wheel is built from (pyproject.toml's packages, metadata and readme); tests and bench do not matter.
WHEEL_INPUTS = ("pyproject.toml", "setup.py", "README.md", "LICENSE", "analyzer/", "parsers/")  # setup.py: the compiled scanner


class WheelEnvError(RuntimeError):
    """The wheel or the venv could not be built; the message says which step and why."""


def source_files(root: Path = ROOT) -> list[str]:
    """The files a wheel is built from: tracked and untracked-but-not-ignored (helpers' new modules ship too)."""
    try:
        out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--",
                              *WHEEL_INPUTS], cwd=root, capture_output=True, check=True).stdout
        names = [n for n in out.decode().split("\0") if n]
    except (OSError, subprocess.CalledProcessError):
        names = [w for w in WHEEL_INPUTS if (root / w).is_file()]
        names += [str(p.relative_to(root)) for w in WHEEL_INPUTS if w.endswith("/") for p in (root / w).rglob("*")]
    # --cached lists files deleted in the work tree but not yet in the index: they are not in the wheel
    return sorted({n for n in names if (root / n).is_file() and "__pycache__" not in n})


def pinned_versions(python: str = sys.executable) -> str:
    """`pip freeze` of the development venv without the project itself: the constraints of the bench venv."""
    out = subprocess.run([python, "-m", "pip", "freeze", "--exclude-editable"], capture_output=True, text=True)
    if out.returncode:
        raise WheelEnvError(f"pip freeze failed in {python}: {out.stderr.strip()[-300:]}")
    return "".join(line + "\n" for line in out.stdout.splitlines()
                   if not line.lower().startswith(("ipsec-preflight", "ipsec_preflight", "-e ")))


def tree_hash(files: list[str], constraints: str, root: Path = ROOT) -> str:
    h = hashlib.sha256(constraints.encode())
    for name in files:
        h.update(name.encode() + b"\0")
        h.update(hashlib.sha256((root / name).read_bytes()).digest())
    return h.hexdigest()[:16]


def _run(step: str, cmd: list[str], cwd: Path | None = None) -> None:
    out = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if out.returncode:
        tail = (out.stderr or out.stdout).strip().splitlines()[-5:]
        raise WheelEnvError(f"{step} failed (exit {out.returncode}): " + " | ".join(tail))


def ensure(cache: Path, log=print) -> Path:
    """The venv (folder) with the current source tree installed from a wheel; built or reused from ``cache``."""
    cache = cache.resolve()
    files = source_files()
    constraints = pinned_versions()
    key = tree_hash(files, constraints)
    venv = cache / f"wheel-env-{key}"
    if (venv / "ok").is_file():
        return venv
    cache.mkdir(parents=True, exist_ok=True)
    for old in cache.glob("wheel-env-*"):
        shutil.rmtree(old, ignore_errors=True)
    log(f"   building the wheel venv {venv} (source hash {key}; {len(files)} files) ...")
    with tempfile.TemporaryDirectory(prefix="ipsec-preflight-wheel-") as tmp:
        src, wheels = Path(tmp) / "src", Path(tmp) / "wheels"
        for name in files:
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
        _run("pip wheel", [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(src)])
        (Path(tmp) / "constraints.txt").write_text(constraints)
        base = Path(sys.base_prefix) / "bin" / f"python{sys.version_info.major}.{sys.version_info.minor}"
        _run("venv", [str(base if base.exists() else sys.executable), "-m", "venv", str(venv)])
        wheel = next(wheels.glob("*.whl"))
        _run("pip install", [str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                             "-c", str(Path(tmp) / "constraints.txt"), str(wheel)])
    if any(venv.glob("lib/python*/site-packages/__editable__*")):
        raise WheelEnvError(f"{venv} has an editable finder: not a wheel install")
    (venv / "ok").write_text(key + "\n")
    return venv


if __name__ == "__main__":
    print(ensure(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "bench" / ".data"))
