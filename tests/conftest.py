import copy
import os
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CORPUS = Path(os.environ.get("IPSEC_PREFLIGHT_CORPUS", ROOT.parent / "shared" / "corpus"))


def load_pair(name: str) -> tuple[dict, str]:
    """A realistic base pair from fixtures/pairs: (connection JSON as dict, device config text)."""
    cfg = {"ikev1-map": "ikev1-map.cfg", "ikev2-map": "ikev2-map.cfg", "ikev2-dual": "ikev2-vti.cfg"}[name]
    return (json.loads((FIXTURES / "pairs" / f"{name}.json").read_text()),
            (FIXTURES / "pairs" / cfg).read_text())


def edit(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert old in text, f"fixture no longer contains {old!r}"
        text = text.replace(old, new, 1)
    return text


@pytest.fixture
def run(tmp_path):
    """Run the full pipeline (files on disk -> parsers -> rules) and return the pair results."""
    from analyzer.checker import check
    from parsers import alibaba
    from parsers.registry import parse_device

    def _run(connection: dict, config: str, vpngw: dict | None = None, mutate_device=None):
        cpath = tmp_path / "connection.json"
        cpath.write_text(json.dumps(connection))
        lookups = alibaba.Lookups()
        if vpngw is not None:
            gpath = tmp_path / "vpngw.json"
            gpath.write_text(json.dumps(vpngw))
            lookups.add_vpn_gateway(str(gpath))
        dev = parse_device(config, str(tmp_path / "device.cfg"))
        if mutate_device:
            mutate_device(dev)
        return check(alibaba.load(str(cpath), lookups), dev)

    return _run


def codes(results) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in results:
        for f in r.findings:
            out.setdefault(f.code, set()).add(f.severity)
    return out


def deep(d):
    return copy.deepcopy(d)


CACHE = ROOT / "tests" / ".cache"
SARIF_SCHEMA_PACKAGE = "@microsoft/jest-sarif@1.0.0-beta.0"  # MIT; ships the official SARIF 2.1.0 schema


def sarif_schema() -> dict | None:
    """The official SARIF 2.1.0 (rtm.5) JSON schema: $SARIF_SCHEMA, the test cache, or fetched once with npm."""
    import shutil
    import subprocess
    import tarfile

    explicit = os.environ.get("SARIF_SCHEMA")
    target = Path(explicit) if explicit else CACHE / "sarif-2.1.0-rtm.5.json"
    if not target.exists() and not explicit and shutil.which("npm"):
        CACHE.mkdir(parents=True, exist_ok=True)
        try:
            out = subprocess.run(["npm", "pack", "--silent", SARIF_SCHEMA_PACKAGE], cwd=CACHE, capture_output=True,
                                 text=True, timeout=120)
            tgz = CACHE / out.stdout.strip().splitlines()[-1]
            with tarfile.open(tgz) as tar:
                member = tar.extractfile("package/lib/schemas/sarif-2.1.0-rtm.5.json")
                target.write_bytes(member.read())
            tgz.unlink()
        except (OSError, subprocess.SubprocessError, IndexError, KeyError, tarfile.TarError):
            return None
    return json.loads(target.read_text()) if target.exists() else None


# The suite reads English output whatever the machine's locale; tests of --lang / LANG set them explicitly.
for _name in ("LC_ALL", "LC_MESSAGES", "IPSEC_PREFLIGHT_LANG"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"


@pytest.fixture(autouse=True)
def _english_after_each_test():
    yield
    from analyzer import i18n
    i18n._gettext = None  # the next test reads the language afresh
    os.environ.pop(i18n.LANG_ENV, None)


def device_config_files() -> list[Path]:
    """Every fixture device config, and every corpus file when ../shared/corpus is there."""
    files = sorted(FIXTURES.rglob("*.cfg"))
    if CORPUS.is_dir():
        files += sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix != ".md")
    return files


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[Path]:
    """16 configs of the bench's generator (bench/generate.py: all four vendors, a quarter campus-sized)."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    out = tmp_path_factory.mktemp("bench")
    generate(out, 16, campus=0.25, seed=7)
    return sorted((out / "devices").rglob("*.cfg"))
