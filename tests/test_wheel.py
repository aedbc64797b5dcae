"""The built wheel carries the specs and works from any directory."""

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


@pytest.mark.slow
def test_wheel_installs_and_loads_from_elsewhere(tmp_path: Path) -> None:
    """pip install of the built wheel into a fresh venv, then load() from /tmp."""
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
    shutil.copy(SEED, workdir / "report.txt")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}

    out = subprocess.run(
        [str(python), "-c", SCRIPT, "report.txt"],
        cwd=workdir,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )

    assert "gov-2019 2020 15 ok" == out.stdout.strip()
