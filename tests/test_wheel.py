"""The built wheel carries the specs and works from any directory; the example
plugin installs beside it and its spec is found through its entry point."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
SEED = ROOT / "tests" / "data" / "seeds" / "000_3691493a38efce86.txt"
PLUGIN = ROOT / "examples" / "govdisclosure-example-plugin"

SCRIPT = """
import sys, govdisclosure
from pathlib import Path
report = govdisclosure.load(Path(sys.argv[1]).read_text(encoding="utf-8"))
spec_dir = Path(govdisclosure.__file__).parent / "specs"
assert (spec_dir / "gov-2019.yaml").is_file(), "specs are not inside the installed package"
assert "site-packages" in govdisclosure.__file__, govdisclosure.__file__
cell = report.table("t3").cell("new_requests", "total")
print(report.format, report.year, cell.value, cell.status.value)
"""

PLUGIN_SCRIPT = """
import sys, govdisclosure
from pathlib import Path
report = govdisclosure.load(Path(sys.argv[1]).read_text(encoding="utf-8"))
print(report.format, report.table("t2_1").cell("normative_documents", "revised").value)
print(govdisclosure.Registry().origin(report.format))
"""


@pytest.fixture(scope="module")
def installed(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, Path, dict[str, str]]:
    """A fresh venv with the built wheel; (python, a work dir, environment)."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("govdisclosure-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    env.pop("GOVDISCLOSURE_SPEC_PATH", None)
    return python, workdir, env


def _run(installed: tuple[Path, Path, dict[str, str]], script: str, arg: str) -> str:
    """Run a script with the venv's python in the work dir; its stripped stdout."""
    python, workdir, env = installed
    out = subprocess.run(
        [str(python), "-c", script, arg],
        cwd=workdir,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


@pytest.mark.slow
def test_wheel_installs_and_loads_from_elsewhere(
    installed: tuple[Path, Path, dict[str, str]],
) -> None:
    """pip install of the built wheel into a fresh venv, then load() from elsewhere."""
    shutil.copy(SEED, installed[1] / "report.txt")

    out = _run(installed, SCRIPT, "report.txt")

    assert "gov-2019 2020 15 ok" == out


@pytest.mark.slow
def test_example_plugin_is_picked_through_its_entry_point(
    installed: tuple[Path, Path, dict[str, str]],
) -> None:
    """pip install the example plugin; load() detects its spec for its report,
    with no path given; then the plugin's own test suite passes."""
    python, workdir, env = installed
    plugin = workdir / "plugin"
    shutil.copytree(
        PLUGIN, plugin, ignore=shutil.ignore_patterns("build", "*.egg-info")
    )
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", f"{plugin}[test]"], check=True
    )
    shutil.copy(plugin / "tests" / "cases" / "county-2021.txt", workdir / "county.txt")

    first, origin = _run(installed, PLUGIN_SCRIPT, "county.txt").splitlines()
    assert "example-county-2021 7" == first
    assert origin.endswith("(plugin 'example' (govdisclosure_example_plugin))")
    assert "site-packages" in origin
    suite = subprocess.run(
        [
            str(python),
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(plugin / "tests"),
        ],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
    )
    assert 0 == suite.returncode, suite.stdout + suite.stderr
