"""Corrections files: a person's decisions applied by `load_file` and the CLI (issue 22).

The report is real 05 (gov-2021, 河北省工信厅 2022): its 二（一） row
行政规范性文件 prints ``5426`` glued for three cells, which the library leaves
ambiguous. The true values were read by hand (tests/data/real/05…expected.json,
``t2_note``): issued 5, repealed 4, in force 26. Its 规章 row prints ``000``
(three ok zeros) and 三's 新收 总计 is 14 (ok).
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import govdisclosure
from govdisclosure.cli import main
from govdisclosure.corrections import (
    CorrectionsError,
    dump_corrections,
    parse_corrections,
    read_corrections,
)
from govdisclosure.model import CellStatus

REAL_05 = Path(__file__).parent / "data" / "real" / "05-hebei-gxt-2022.txt"
GLUED = "t2_1.normative_documents"

DECIDED_BY_HAND = f"""\
corrections: 1
report: 05-hebei-gxt-2022.txt
cells:
  {GLUED}.issued:
    value: 5
    by: 张三
    at: 2026-11-30
    why: 2021、2023年报告的现行有效件数相接（5225、1126）
    raw: "5426"
  {GLUED}.repealed:
    value: 4
    by: 张三
    at: 2026-11-30T10:00:00Z
    why: 同上
    raw: "5426"
  {GLUED}.in_force:
    value: 26
    by: 张三
    at: 2026-11-30T10:00:00+08:00
    why: 同上
    raw: "5426"
"""


def _report_with(tmp_path: Path, corrections: str | None) -> Path:
    """A copy of real 05 in ``tmp_path``, with this corrections file beside it."""
    report = tmp_path / REAL_05.name
    shutil.copy(REAL_05, report)
    if corrections is not None:
        (tmp_path / "05-hebei-gxt-2022.corrections.yaml").write_text(
            corrections, encoding="utf-8"
        )
    return report


def _decision(cell: str, value: str, raw: str, extra: str = "") -> str:
    return (
        f"corrections: 1\ncells:\n  {cell}:\n    value: {value}\n    by: 李四\n"
        f"    at: 2026-11-30\n    why: 核对原件\n    raw: {raw!r}\n{extra}"
    )


def test_without_corrections_the_glued_row_is_ambiguous() -> None:
    report = govdisclosure.load_file(REAL_05)

    cell = report.table("t2_1").cell("normative_documents", "issued")
    assert cell.status is CellStatus.AMBIGUOUS
    assert cell.raw == "5426"
    assert not report.coverage.complete


def test_decisions_beside_the_report_are_applied(tmp_path: Path) -> None:
    report = govdisclosure.load_file(_report_with(tmp_path, DECIDED_BY_HAND))

    row = report.table("t2_1")
    cells = [
        row.cell("normative_documents", k) for k in ("issued", "repealed", "in_force")
    ]
    assert [c.value for c in cells] == [5, 4, 26]
    assert {c.status for c in cells} == {CellStatus.CORRECTED}
    first = cells[0]
    assert first.decision is not None
    assert (first.decision.by, first.decision.at) == ("张三", "2026-11-30")
    assert first.decision.was is CellStatus.AMBIGUOUS
    assert first.reason is not None
    assert "张三" in first.reason
    assert "candidates 5, 54" in first.reason
    assert report.coverage.complete  # a decided cell counts as decided
    applied = [f for f in report.findings if f.code == "correction.applied"]
    assert len(applied) == 1
    assert len(applied[0].cells) == 3


def test_the_report_keeps_its_decisions_in_json(tmp_path: Path) -> None:
    report = govdisclosure.load_file(_report_with(tmp_path, DECIDED_BY_HAND))

    assert govdisclosure.Report.from_dict(report.to_dict()) == report


def test_an_explicit_corrections_file_and_none(tmp_path: Path) -> None:
    elsewhere = tmp_path / "decided.yaml"
    elsewhere.write_text(DECIDED_BY_HAND, encoding="utf-8")
    report = _report_with(tmp_path, "this is not read")

    given = govdisclosure.load_file(report, corrections=elsewhere)
    with pytest.raises(CorrectionsError):
        govdisclosure.load_file(report)  # the malformed file beside it
    without = govdisclosure.load_file(report, corrections=False)

    assert given.table("t2_1").cell(*GLUED.split(".")[1:], "issued").value == 5
    assert without.table("t2_1").cell("normative_documents", "issued").value is None


def test_a_stale_decision_is_reported_and_not_applied(tmp_path: Path) -> None:
    """The person saw ``5427``: the report now prints ``5426`` (re-crawled)."""
    stale = _decision(f"{GLUED}.issued", "5", "5427")
    report = govdisclosure.load_file(_report_with(tmp_path, stale))

    cell = report.table("t2_1").cell("normative_documents", "issued")
    assert cell.status is CellStatus.AMBIGUOUS
    [finding] = [f for f in report.findings if f.code == "correction.stale"]
    assert finding.severity.value == "warning"
    assert finding.cells == (f"{GLUED}.issued",)
    assert "corrections.yaml:3:" in finding.message
    assert "'5427'" in finding.message
    assert "'5426'" in finding.message
    assert not any(f.code == "correction.applied" for f in report.findings)


def test_a_conflicting_decision_is_not_applied(tmp_path: Path) -> None:
    """规章 本年制发件数 is an ok 0 (``000``): deciding 3 contradicts the text."""
    conflict = _decision("t2_1.rules.issued", "3", "0")
    report = govdisclosure.load_file(_report_with(tmp_path, conflict))

    cell = report.table("t2_1").cell("rules", "issued")
    assert (cell.status, cell.value) == (CellStatus.OK, 0)
    [finding] = [f for f in report.findings if f.code == "correction.conflict"]
    assert finding.severity.value == "warning"
    assert "override: true" in finding.message


def test_an_overriding_decision_is_applied_and_said(tmp_path: Path) -> None:
    overriding = _decision("t2_1.rules.issued", "3", "0", "    override: true\n")
    report = govdisclosure.load_file(_report_with(tmp_path, overriding))

    cell = report.table("t2_1").cell("rules", "issued")
    assert (cell.status, cell.value) == (CellStatus.CORRECTED, 3)
    assert cell.decision is not None
    assert cell.decision.override
    assert cell.decision.was is CellStatus.OK
    assert any(f.code == "correction.override" for f in report.findings)


def test_a_decision_the_text_agrees_with_changes_nothing(tmp_path: Path) -> None:
    settled = _decision("t2_1.rules.issued", "0", "0")
    report = govdisclosure.load_file(_report_with(tmp_path, settled))

    assert report.table("t2_1").cell("rules", "issued").status is CellStatus.OK
    assert any(f.code == "correction.settled" for f in report.findings)


def test_a_decision_on_no_cell_is_reported(tmp_path: Path) -> None:
    unknown = _decision("t9.nothing.here", "1", "1")
    report = govdisclosure.load_file(_report_with(tmp_path, unknown))

    assert any(f.code == "correction.unknown" for f in report.findings)


def test_equations_are_checked_with_decided_values(tmp_path: Path) -> None:
    """三's 新收 总计 is 14 (ok); overridden to 15, I1-style sums no longer hold."""
    wrong = _decision("t3.new_requests.total", "15", "14", "    override: true\n")
    plain = govdisclosure.load_file(REAL_05)
    report = govdisclosure.load_file(_report_with(tmp_path, wrong))

    assert not [f for f in plain.findings if f.code == "invariant.violated"]
    broken = [f for f in report.findings if f.code == "invariant.violated"]
    assert broken
    assert all("t3.new_requests.total" in f.cells for f in broken)


def test_check_uses_decided_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Undecided cells make `check` exit 3; once decided by a person, 0."""
    report = _report_with(tmp_path, None)
    assert main(["check", "--jobs", "1", str(report)]) == 3
    (tmp_path / "05-hebei-gxt-2022.corrections.yaml").write_text(
        DECIDED_BY_HAND, encoding="utf-8"
    )
    assert main(["check", "--jobs", "1", str(report)]) == 0
    wrong = _decision("t3.new_requests.total", "15", "14", "    override: true\n")
    (tmp_path / "05-hebei-gxt-2022.corrections.yaml").write_text(
        wrong, encoding="utf-8"
    )
    assert main(["check", "--jobs", "1", str(report)]) == 1
    capsys.readouterr()


def test_records_and_parquet_carry_the_status_and_who_decided(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    report_path = _report_with(tmp_path, DECIDED_BY_HAND)
    report = govdisclosure.load_file(report_path)

    records = {
        (r["table_id"], r["row_key"], r["column_key"]): r for r in report.to_records()
    }
    issued = records[("t2_1", "normative_documents", "issued")]
    assert (issued["status"], issued["count"], issued["decided_by"]) == (
        "corrected",
        5,
        "张三",
    )
    assert records[("t2_1", "rules", "issued")]["decided_by"] is None
    out = tmp_path / "cells.parquet"
    assert main(["parse", "--jobs", "1", str(report_path), "-o", str(out)]) == 0
    rows = pq.read_table(out).to_pylist()
    [row] = [
        r
        for r in rows
        if (r["table_id"], r["row_key"], r["column_key"])
        == ("t2_1", "normative_documents", "in_force")
    ]
    assert (row["status"], row["count"], row["decided_by"]) == (
        "corrected",
        26,
        "张三",
    )


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("corrections: 1\ncells:\n  t2_1.rules.issued: [1\n", 4, "not YAML"),
        (_decision("t2_1.rules.issued", "abc", "0"), 4, "no count or amount"),
        (_decision("t2_1.rules.issued", "-3", "0"), 4, "no count or amount"),
        (
            _decision("t2_1.rules.issued", "3", "0").replace("2026-11-30", "昨天"),
            6,
            "ISO 8601",
        ),
        (
            _decision("t2_1.rules.issued", "3", "0").replace("    why: 核对原件\n", ""),
            4,
            "`why` is required",
        ),
        (
            _decision("t2_1.rules.issued", "3", "0", "    colour: red\n"),
            9,
            "unknown field",
        ),
        (
            _decision("t2_1.rules.issued", "3", "0", "    override: yes\n"),
            9,
            "true or false",
        ),
        (_decision("rules.issued", "3", "0"), 4, "no cell key"),
        ("corrections: 2\ncells: {}\n", 1, "corrections: 1"),
        ("corrections: 1\ncells:\n  a.b.c: &x {value: 1}\n  a.b.d: *x\n", 3, "aliases"),
        (
            _decision("t2_1.rules.issued", "3", "0")
            + "  t2_1.rules.issued:\n    value: 4\n",
            9,
            "written twice",
        ),
    ],
)
def test_a_malformed_file_is_a_located_error(text: str, line: int, what: str) -> None:
    with pytest.raises(CorrectionsError) as caught:
        parse_corrections(text, "x.corrections.yaml")

    assert f"x.corrections.yaml:{line}:" in str(caught.value)
    assert what in str(caught.value)
    assert "no correction of the file was applied" in str(caught.value)


def test_a_malformed_file_stops_the_load_and_the_cli_says_where(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One bad decision among good ones: nothing is applied, the error names file:line."""
    bad = DECIDED_BY_HAND.replace("value: 26", "value: 2 6")
    report = _report_with(tmp_path, bad)

    with pytest.raises(CorrectionsError, match=r"corrections\.yaml:17: "):
        govdisclosure.load_file(report)
    assert main(["show", str(report)]) == 2
    assert "05-hebei-gxt-2022.corrections.yaml:17:" in capsys.readouterr().err
    assert (
        main(
            [
                "corrections",
                "check",
                str(tmp_path / "05-hebei-gxt-2022.corrections.yaml"),
            ]
        )
        == 1
    )


def test_a_written_file_reads_back(tmp_path: Path) -> None:
    decided = parse_corrections(DECIDED_BY_HAND, "a")
    path = tmp_path / "b.corrections.yaml"
    path.write_text(dump_corrections(decided.items, report="05.txt"), encoding="utf-8")

    again = read_corrections(path)

    assert [(c.cell, c.value, c.by, c.at, c.why, c.raw) for c in again.items] == [
        (c.cell, c.value, c.by, c.at, c.why, c.raw) for c in decided.items
    ]


def test_amounts_stay_exact() -> None:
    text = _decision("t2_8.administrative_fees.amount", "650.60", "650.6")
    [item] = parse_corrections(text).items
    assert item.value == Decimal("650.60")
    assert isinstance(item.value, Decimal)


def test_a_corrections_error_crosses_processes_whole() -> None:
    """`load_many`'s workers send errors back pickled: the message and the
    problems must arrive as they left (before: the message was read as a list
    of problems, one character each)."""
    import pickle

    from govdisclosure.corrections import CorrectionsError

    error = CorrectionsError(["a.yaml:3: value bad", "a.yaml:5: by missing"])

    again = pickle.loads(pickle.dumps(error))

    assert (str(error), error.problems) == (str(again), again.problems)
