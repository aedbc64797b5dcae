"""Glued tables decoded to the limit (issue 18): numbers that cannot add up are findings.

The expectations are read by hand from the reports: `10-hebei-kjt-2022`
prints （七）总计 ``20000011``, whose two splits into seven cells
(2|0|0|0|0|0|11 and 20|0|0|0|0|1|1) both break the row's own sum; its
outcome rows add up to 11 (予以公开 10 + 属于三类内部事务信息 1).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import govdisclosure
from govdisclosure.cli import main
from govdisclosure.model import CellStatus, Severity, Value
from govdisclosure.pipeline import decode
from govdisclosure.spec.model import Spec
from govdisclosure.spec.registry import Registry
from govdisclosure.testing import FilledReport, Layout, render

DATA = Path(__file__).parent / "data"
HEBEI_2022 = DATA / "real" / "10-hebei-kjt-2022.txt"
PINGTAN_2023 = DATA / "corpus" / "pingtan-2023.txt"
#: pingtan-2023's （七）总计 as printed: 80|1|0|0|0|0|81, the outcome rows' sums.
PRINTED_TOTAL = "（七）总计801000081"


def _unsatisfiable(report: govdisclosure.Report) -> list[govdisclosure.Finding]:
    return [f for f in report.findings if f.code == "invariant.unsatisfiable"]


def test_a_total_no_split_satisfies_is_an_error() -> None:
    """hebei-kjt-2022: the （七）总计 row's own sum cannot hold, and the finding says so."""
    report = govdisclosure.load_file(HEBEI_2022)

    (finding,) = _unsatisfiable(report)
    assert Severity.ERROR is finding.severity
    assert "I3" == finding.rule
    assert ("t3.processed_total",) == finding.cells
    assert "[row processed_total]" in (finding.equation or "")
    assert "（七）总计" in finding.message
    # the cells keep their flags: nothing is bent to fit the equations; only
    # the cells that both readings without an empty cell give 0 (the report
    # prints its zeros: 2|0|0|0|0|0|11 or 20|0|0|0|0|1|1) are decided
    total = [c for c in report.table("t3").cells if c.row_key == "processed_total"]
    assert 7 == len(total)
    flagged = [c.column_key for c in total if c.status is CellStatus.AMBIGUOUS]
    assert ["natural_person", "other_org", "total"] == flagged
    middle = [c for c in total if c.column_key not in flagged]
    assert {(CellStatus.INFERRED, 0)} == {(c.status, c.value) for c in middle}
    assert all("prints its zeros" in (c.reason or "") for c in middle)
    assert not any("invariants" in (c.reason or "") for c in middle)


def test_check_exits_1_for_an_unsatisfiable_table(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["check", str(HEBEI_2022), "--jobs", "1"])
    out = capsys.readouterr().out

    assert 1 == code
    assert "I3 cannot all hold in t3" in out


def test_the_printed_pingtan_total_is_satisfiable() -> None:
    """The report as printed adds up: no such finding (the control of the next test)."""
    assert [] == _unsatisfiable(govdisclosure.load_file(PINGTAN_2023))


@pytest.mark.parametrize(
    ("corrupted", "rules"),
    [
        # 8|0|1|0|0|0|0|82 or 80|1|0|0|0|0|82: the row's own sum fails alone
        ("（七）总计801000082", "I3"),
        # 90|1|0|0|0|0|91 sums, but the 自然人 column's 80 new requests do not
        # make 90 processed: the row sum and the column's balance conflict
        ("（七）总计901000091", "I3, I1"),
    ],
)
def test_a_corrupted_collapsed_total_fails_check(
    corrupted: str, rules: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = PINGTAN_2023.read_text("utf-8")
    assert PRINTED_TOTAL in text
    path = tmp_path / "pingtan-2023-corrupted.txt"
    path.write_text(text.replace(PRINTED_TOTAL, corrupted), "utf-8")

    (finding,) = _unsatisfiable(govdisclosure.load_file(path))
    assert rules == finding.rule
    assert "t3.processed_total" in finding.cells
    assert 1 == main(["check", str(path), "--jobs", "1"])
    capsys.readouterr()


def test_a_run_too_long_to_list_is_searched_under_its_equations() -> None:
    """Seven 4-digit cells glued into one 28-digit run (too long to list its cuts).

    The row's own sum (its 总计 last) is searched exactly, from the right:
    予以公开 1234|2345|1111|1000|1200|1300|8190 is its only reading, and the
    two totals it makes (本年新收, （七）总计: the same 28 digits) likewise.
    Nothing is reported as not adding up (the generated values add up).
    """
    spec = next(
        s for s in Registry(plugins=False, environment=False) if s.id == "gov-2021"
    )
    granted = [1234, 2345, 1111, 1000, 1200, 1300, 8190]
    filled = _pinned(spec, {"granted": granted})
    text = render(filled, Layout(cells="glued"), random.Random(0))
    assert "1234234511111000120013008190" in text
    report = govdisclosure.load(text, spec=spec)

    assert [] == _unsatisfiable(report)
    assert [] == [f for f in report.findings if f.code == "decode.bound"]
    t3 = report.table("t3")
    for row in ("granted", "new_requests", "processed_total"):
        cells = [t3.cell(row, column) for column in t3.column_keys]
        assert [CellStatus.INFERRED] * 7 == [c.status for c in cells], row
        assert granted == [c.value for c in cells], row
    for cell in t3.cells:  # every other cell: flagged, or the generated value
        if cell.status is not CellStatus.AMBIGUOUS:
            truth = filled.values["t3"][cell.row_key]
            assert truth[t3.column_keys.index(cell.column_key)] == (cell.value or 0)


def test_a_search_past_its_bound_is_said(monkeypatch: pytest.MonkeyPatch) -> None:
    """A row whose exact search passes `decode.MAX_STATES` stays flagged, with a finding."""
    monkeypatch.setattr(decode, "MAX_STATES", 5)
    spec = next(
        s for s in Registry(plugins=False, environment=False) if s.id == "gov-2021"
    )
    filled = _pinned(spec, {"granted": [1234, 2345, 1111, 1000, 1200, 1300, 8190]})
    report = govdisclosure.load(
        render(filled, Layout(cells="glued"), random.Random(0)), spec=spec
    )

    bound = {c for f in report.findings if f.code == "decode.bound" for c in f.cells}
    assert {"t3.granted", "t3.new_requests", "t3.processed_total"} <= bound
    assert [] == _unsatisfiable(report)
    granted = [c for c in report.table("t3").cells if c.row_key == "granted"]
    assert all(c.status is CellStatus.AMBIGUOUS for c in granted)


def _pinned(spec: Spec, t3: dict[str, list[int]]) -> FilledReport:
    """A report whose cells are 0 but ``t3``'s rows, with 三's totals made to add up."""
    values: dict[str, dict[str, list[Value]]] = {
        t.id: {r.key: [0 for _ in t.column_leaves()] for r in t.row_leaves()}
        for t in spec.tables
    }
    values["t3"].update({row: list(v) for row, v in t3.items()})
    outcome = [0] * 7
    for row in t3.values():
        outcome = [a + b for a, b in zip(outcome, row, strict=True)]
    values["t3"]["processed_total"] = list(outcome)
    values["t3"]["new_requests"] = list(outcome)
    return FilledReport(spec, values, year=2022)


def test_a_corrupted_glued_four_run_is_unsatisfiable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """pingtan-2023's 四 prints ``110024001510102``: 1|1|0|0|2, 4|0|0|1|5, 1|0|1|0|2.

    With its last digit 3 no cut, with or without empty cells, gives three
    groups that each add up to their 总计 (checked apart from the library by
    listing all 2^14 cuts and their placements), so the row's own equations
    cannot hold: an error, and the cells stay flagged.
    """
    text = PINGTAN_2023.read_text("utf-8")
    assert text.count("110024001510102") == 1
    path = tmp_path / "pingtan-2023-four.txt"
    path.write_text(text.replace("110024001510102", "110024001510103"), "utf-8")
    report = govdisclosure.load_file(path)

    (finding,) = _unsatisfiable(report)
    assert ("t4.cases",) == finding.cells
    assert "I4-suit-after-review" in (finding.rule or "")
    assert all(c.status is CellStatus.AMBIGUOUS for c in report.table("t4").cells)
    assert 1 == main(["check", str(path), "--jobs", "1"])
    capsys.readouterr()


def test_the_printed_pingtan_four_run_is_decided() -> None:
    """The same run as printed: its one reading (above) is decided from its totals."""
    t4 = govdisclosure.load_file(PINGTAN_2023).table("t4")
    assert [1, 1, 0, 0, 2, 4, 0, 0, 1, 5, 1, 0, 1, 0, 2] == [c.value for c in t4.cells]
    assert all(c.status is CellStatus.INFERRED for c in t4.cells)
