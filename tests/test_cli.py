"""``python -m govdisclosure FILE``: the viewer and its exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govdisclosure.__main__ import main

SEEDS = Path(__file__).parent / "data" / "seeds"


def test_viewer_shows_tables_and_units(capsys: pytest.CaptureFixture[str]) -> None:
    """The grid shows values, amounts with their unit, and flagged cells marked."""
    code = main([str(SEEDS / "004_c493ddf6db4f273e.txt")])
    out = capsys.readouterr().out

    assert 0 == code
    assert "year: 2020" in out
    assert "administrative_license             3 0 110" in out
    assert "administrative_fees                ? ?" in out


def test_amount_unit_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints the whole Report; amounts keep their unit."""
    main([str(SEEDS / "000_3691493a38efce86.txt")])
    assert "561 6119919.29元" in capsys.readouterr().out

    main([str(SEEDS / "000_3691493a38efce86.txt"), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert "gov-2019" == data["format"]


def test_unreadable_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that is no report: a one-line error and exit code 2."""
    path = tmp_path / "note.txt"
    path.write_text("一份普通的通知", encoding="utf-8")

    assert 2 == main([str(path)])
    assert "does not look like an annual report" in capsys.readouterr().err
