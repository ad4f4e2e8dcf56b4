"""The bench's honest-floor machinery (bench/wheel_env.py, bench/run.py): what the wheel venv is keyed on, and that
the SDK-import check can see an SDK import when there is one. No timing is asserted."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import run  # noqa: E402
import wheel_env  # noqa: E402


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args], cwd=repo, check=True,
                   capture_output=True)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name, text in {"pyproject.toml": "[project]\n", "analyzer/cli.py": "x = 1\n", "parsers/a.py": "y = 2\n",
                       "tests/test_x.py": "z = 3\n", ".gitignore": "scratch/\n"}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "init")
    return tmp_path


def test_source_files_are_what_the_wheel_is_built_from(tree: Path):
    (tree / "analyzer" / "new_module.py").write_text("")  # a helper's new file, not yet committed: it ships
    (tree / "scratch").mkdir()
    (tree / "scratch" / "junk.py").write_text("")  # ignored
    (tree / "analyzer" / "__pycache__").mkdir()
    (tree / "analyzer" / "__pycache__" / "cli.cpython-311.pyc").write_bytes(b"\0")
    (tree / "parsers" / "a.py").unlink()  # deleted in the work tree, still in the index: not in the wheel
    assert wheel_env.source_files(tree) == ["analyzer/cli.py", "analyzer/new_module.py", "pyproject.toml"]


def test_hash_follows_package_sources_and_pins_not_tests(tree: Path):
    files = wheel_env.source_files(tree)
    before = wheel_env.tree_hash(files, "pydantic==2.14.4\n", tree)
    (tree / "tests" / "test_x.py").write_text("z = 4\n")
    assert wheel_env.tree_hash(wheel_env.source_files(tree), "pydantic==2.14.4\n", tree) == before
    assert wheel_env.tree_hash(files, "pydantic==2.15.0\n", tree) != before
    (tree / "analyzer" / "cli.py").write_text("x = 2\n")
    assert wheel_env.tree_hash(files, "pydantic==2.14.4\n", tree) != before


def test_pinned_versions_leave_out_the_project_itself():
    pins = wheel_env.pinned_versions()
    assert "pydantic==" in pins
    assert "ipsec" not in pins.lower()


@pytest.mark.skipif(importlib.util.find_spec("alibabacloud_credentials") is None, reason="SDK not installed")
def test_sdk_import_check_sees_an_sdk_import(tmp_path: Path):
    seen, total = run.sdk_imports(sys.executable, ["-c", "import alibabacloud_credentials.client"], tmp_path)
    assert any(name.startswith("alibabacloud_credentials") for name in seen)
    none, total_json = run.sdk_imports(sys.executable, ["-c", "import json"], tmp_path)
    assert none == [] and total_json > 0
