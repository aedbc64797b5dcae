"""Real reports with their true values (tests/data/corpus): equal, or flagged."""

from __future__ import annotations

from pathlib import Path

import pytest

import govdisclosure

from .compare import expected_cells, pair_cells, wrong_cells

CORPUS = Path(__file__).parent.parent / "data" / "corpus"


@pytest.mark.parametrize(
    ("name", "year"), [("pingtan-2021", 2021), ("pingtan-2023", 2023)]
)
def test_collapsed_2021_reports_claim_no_wrong_value(name: str, year: int) -> None:
    """Every cell of a one-line (collapsed) report is true or flagged, never wrongly ok."""
    text = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    expected = expected_cells(CORPUS / f"{name}.expected.json")

    report = govdisclosure.load(text)

    assert "gov-2021" == report.format
    assert (year, "平潭综合实验区") == (report.year, report.organization)
    pairs = pair_cells(report, expected)
    assert all(cell is not None for _, cell in pairs), "every expected cell has a cell"
    assert [] == wrong_cells(report, expected)
    decided = sum(c is not None and c.value is not None for _, c in pairs)
    assert (
        decided >= 170
    )  # most of 三 is decoded through its invariants (measured: 182 of 200)


def test_collapsed_rows_are_decoded_by_invariants() -> None:
    """一、本年新收…640020470 is 64|0|0|2|0|4|70, decided by 三's equations."""
    text = (CORPUS / "pingtan-2021.txt").read_text(encoding="utf-8")

    row = govdisclosure.load(text).table("t3").grid()[0]

    assert [64, 0, 0, 2, 0, 4, 70] == [c.value for c in row]
    assert {govdisclosure.CellStatus.INFERRED} == {c.status for c in row}


def test_t2_without_invariants_stays_ambiguous() -> None:
    """行政规范性文件693665 (true 69|3|665) has no equation to decide it: flagged."""
    text = (CORPUS / "pingtan-2021.txt").read_text(encoding="utf-8")

    row = govdisclosure.load(text).table("t2_1").grid()[1]

    assert {govdisclosure.CellStatus.AMBIGUOUS} == {c.status for c in row}
    assert 69 in row[0].candidates


def test_fujian_table_claims_no_wrong_value() -> None:
    """pingtan-2017 (Fujian table, collapsed, units before numbers): true or flagged."""
    text = (CORPUS / "pingtan-2017.txt").read_text(encoding="utf-8")
    expected = expected_cells(CORPUS / "pingtan-2017.expected.json")

    report = govdisclosure.load(text)

    assert "fujian-legacy" == report.format
    assert [] == wrong_cells(report, expected)
    # 主动公开文件数条212210037: the table allows 2|12210037, 21|2210037, …;
    # the prose fixes the cut ("2017年全区主动公开政府信息2122条").
    row = report.table("stats").grid()[0]
    assert [2122, 10037] == [c.value for c in row]
    assert {govdisclosure.CellStatus.INFERRED} == {c.status for c in row}
    assert all("2017年全区主动公开政府信息2122条" in (c.reason or "") for c in row)
    assert [("N1", 2122)] == [(f.id, f.value) for f in report.facts]
    # 政府网站公开数 has the same run, and no sentence states it: still flagged
    website = report.table("stats").grid()[1]
    assert {govdisclosure.CellStatus.AMBIGUOUS} == {c.status for c in website}
    assert 2122 in website[0].candidates


def test_narrative_figures_agree_with_the_tables() -> None:
    """The 2021 and 2023 reports restate their tables in prose: every figure is found, none disagrees."""
    found = {}
    for name in ("pingtan-2021", "pingtan-2023"):
        report = govdisclosure.load(
            (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
        )
        assert [] == [f for f in report.findings if f.code.startswith("narrative")]
        found[name] = {f.id: f.value for f in report.facts}
    # read by hand from the reports' section 一
    assert {"N1": 70, "N2": 69, "N3": 1} == found["pingtan-2021"]
    assert {
        "N1": 81,  # 接收……各类政府信息公开申请共计81件
        "N4": 80,  # 涉及自然人80件
        "N5": 1,  # 商业企业1件
        "N2": 81,  # 办结依申请公开81件
        "N6": 42,  # 予以公开及部分公开42件
        "N7": 5,  # 不予公开5件
        "N8": 31,  # 无法提供31件
        "N9": 1,  # 不予处理1件
        "N10": 2,  # 其他处理2件
        "N11": 2,  # 行政复议案件2件
        "N12": 7,  # 行政诉讼案件7件
        "N13": 77,  # 动态更新本年度制发的规范性文件77件
    } == found["pingtan-2023"]


def test_narrative_decides_a_collapsed_t2_cell_only_where_it_speaks() -> None:
    """pingtan-2023 二(一) 行政规范性文件77132470 (true 77 | 132 | 470): the prose states 77 only."""
    row = (
        govdisclosure.load((CORPUS / "pingtan-2023.txt").read_text(encoding="utf-8"))
        .table("t2_1")
        .grid()[1]
    )

    assert 77 == row[0].value
    assert govdisclosure.CellStatus.INFERRED is row[0].status
    assert "动态更新本年度制发的规范性文件77件" in (row[0].reason or "")
    assert {govdisclosure.CellStatus.AMBIGUOUS} == {row[1].status, row[2].status}
    assert 132 in row[1].candidates
    assert 470 in row[2].candidates


def test_collapsed_t4_is_decoded_by_its_group_totals() -> None:
    """四 as one run "110024001510102" (pingtan-2023): the three 总计 equations decide it."""
    text = (CORPUS / "pingtan-2023.txt").read_text(encoding="utf-8")
    expected = expected_cells(CORPUS / "pingtan-2023.expected.json")
    truth = [e["value"] for e in expected["cells"] if e["table"] == "四"]

    cells = govdisclosure.load(text).table("t4").cells

    assert truth == [c.value for c in cells]
    assert {govdisclosure.CellStatus.INFERRED} == {c.status for c in cells}
    assert "I4-review" in (cells[0].reason or "")


def test_parquet_of_seeds_and_corpus_holds_the_true_values(tmp_path: Path) -> None:
    """`govdisclosure parse seeds/ corpus/ -o out.parquet`: every cell, read back.

    Each corpus cell's Parquet row holds its true value (expected.json) or is
    flagged; the labels are paired with keys as the corpus test pairs them.
    The seeds' values are checked the same way in tests/test_batch.py.
    """
    pq = pytest.importorskip("pyarrow.parquet")
    from decimal import Decimal

    from govdisclosure.cli import main

    out = tmp_path / "out.parquet"
    seeds = CORPUS.parent / "seeds"

    assert 0 == main(["parse", str(seeds), str(CORPUS), "-o", str(out), "--jobs", "2"])

    rows = pq.read_table(out).to_pylist()
    assert 8 == len({r["source"] for r in rows})  # 5 seeds, 3 corpus reports
    by_key = {
        (r["source"], r["table_id"], r["row_key"], r["column_key"]): r for r in rows
    }
    assert len(by_key) == len(rows)
    checked = 0
    for name in ("pingtan-2017", "pingtan-2021", "pingtan-2023"):
        source = str(CORPUS / f"{name}.txt")
        report = govdisclosure.load_file(source)
        assert len(list(report.cells)) == sum(r["source"] == source for r in rows)
        for truth, cell in pair_cells(
            report, expected_cells(CORPUS / f"{name}.expected.json")
        ):
            assert cell is not None
            row = by_key[(source, cell.table, cell.row_key, cell.column_key)]
            if row["status"] in ("ok", "inferred"):
                number = row["count"] if row["amount"] is None else row["amount"]
                assert Decimal(str(truth["value"])) == number, cell.key
                checked += 1
            else:
                assert row["count"] is None
                assert row["amount"] is None
    assert checked >= 350  # decided cells; the rest are flagged, never wrong
