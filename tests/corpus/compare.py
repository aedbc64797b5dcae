"""Match a Report's cells to a corpus expected.json (official labels, true values) and judge them.

The expected files (tests/data/corpus, tests/data/real) give each cell's true
``value`` under its official ``table``/``row``/``column`` labels. `judge`
puts every true cell in one of four verdicts:

* ``right``: claimed (``ok``/``inferred``) with the true value; or, where the
  truth is an empty cell, ``blank`` (or a claimed 0 where the file allows it,
  below);
* ``flagged``: not claimed (``blank``, ``missing``, ``ambiguous``) and not
  right: the reader says it does not know, which is never wrong;
* ``wrong``: claimed with a value the text does not give (the worst bug);
* ``no cell``: the report has no cell at these labels at all.

A ``null`` truth means one of two things, and each file's notes say which
(``blank_note``/``null_note`` and the per-table notes):

* **empty**: the report prints nothing in the cell. In a file with
  ``blank_is_zero_ok: true`` (a file-level flag, set where the equations
  force an empty cell to 0) blank and a claimed 0 are both right; any other
  claimed value is wrong.
* **undetermined**: the text does not determine the value (a glued run with
  several readings; a ``22`` that is one applicant cell of 2 and the total,
  with the column unknown). Any claim is wrong, even 0: the notes of 03, 08
  and 09 warn that ``blank_is_zero_ok`` would otherwise let a guessed 0 pass
  there, and ask for those cells to be audited by hand. `UNDETERMINED` is
  that audit: the cells the notes call undetermined, copied by hand from
  them. A ``blank`` there is flagged, not right (the report may hold a value).
  In a file whose null means only this (``null_note``, no ``blank_note``),
  every null is undetermined.

A null cell whose every reading is 0 or empty (03's and 09's ``00`` rows,
where one of three cells is empty and which is unknown; 08's 行政许可
本年增/减, 0 or empty) counts as empty: with ``blank_is_zero_ok`` a 0 there
is true under every reading.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import govdisclosure

Verdict = Literal["right", "flagged", "wrong", "no cell"]

_ENUM = re.compile(
    r"^(?:其中[:：])?(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])"
)

# "其中：主动公开规范性文件数" (the 2014 statistics table's sub-rows) is the
# official row 主动公开规范性文件数
_OF_WHICH = re.compile(r"^其中[:：]")


_REMARK = re.compile(r"[（(][^（）()]*[）)]$")


_YEAR_COLUMN = re.compile(r"^\d{4}年度$")

_APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")

# Cells whose null means "the text does not determine the value", read by
# hand from each file's notes (see the module docstring); keyed by the
# report's file name without suffix, cells as (table, row, column) labels.
UNDETERMINED: dict[str, frozenset[tuple[str, str, str]]] = {
    "03-hebei-gxt-2019": frozenset(
        # t2_note: 行政事业性收费 10 = 1|0, 10|empty or empty|10;
        # 政府集中采购 304948.3955万元 has two plausible cuts
        [
            ("二（八）", "行政事业性收费", "上一年项目数量"),
            ("二（八）", "行政事业性收费", "本年增/减"),
            ("二（九）", "政府集中采购", "采购项目数量"),
            ("二（九）", "政府集中采购", "采购总金额"),
        ]
        # t3_note: `22` = one applicant cell of 2 and 总计 2, column unknown
        + [
            ("三", row, column)
            for row in ("本年新收政府信息公开申请数量", "予以公开", "总计")
            for column in _APPLICANTS
        ]
    ),
    "08-hebei-kjt-2020": frozenset(
        # t2_note: 规范性文件 111151 (five readings); 行政许可 201956 is
        # 2|0|1956 or 20|empty|1956; 其他对外管理服务事项 0+34636 has four
        # cuts; 政府集中采购 102339.45万元 four
        [
            ("二（一）", "规范性文件", column)
            for column in ("本年新制作数量", "本年新公开数量", "对外公开总数量")
        ]
        + [
            ("二（五）", "行政许可", "上一年项目数量"),
            ("二（五）", "其他对外管理服务事项", "本年增/减"),
            ("二（五）", "其他对外管理服务事项", "处理决定数量"),
            ("二（九）", "政府集中采购", "采购项目数量"),
            ("二（九）", "政府集中采购", "采购总金额"),
        ]
    ),
    "09-hebei-gxt-2020": frozenset(
        # t2_note: 规范性文件 222 = 2|2|2, empty|2|22 or empty|empty|222;
        # 行政事业性收费 30 = 3|0, 30|empty or empty|30; 政府集中采购 five cuts
        [
            ("二（一）", "规范性文件", column)
            for column in ("本年新制作数量", "本年新公开数量", "对外公开总数量")
        ]
        + [
            ("二（八）", "行政事业性收费", "上一年项目数量"),
            ("二（八）", "行政事业性收费", "本年增/减"),
            ("二（九）", "政府集中采购", "采购项目数量"),
            ("二（九）", "政府集中采购", "采购总金额"),
        ]
        # t3_note: `11` = one applicant cell of 1 and 总计 1, column unknown
        + [
            ("三", row, column)
            for row in ("本年新收政府信息公开申请数量", "部分公开", "总计")
            for column in _APPLICANTS
        ]
    ),
}


def _core(label: str) -> str:
    """The label without its numbering and a trailing remark in brackets.

    A column named by its year (``2017年度``) is the spec's ``本年度``.
    """
    label = _YEAR_COLUMN.sub("本年度", label.strip())
    return _REMARK.sub("", _OF_WHICH.sub("", _ENUM.sub("", label)))


def _key(table: str, row: str, column: str) -> tuple[str, str, str]:
    return (table, _core(row), "/".join(_core(p) for p in column.split("/")))


def expected_cells(path: Path) -> dict[str, Any]:
    expected: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return expected


def pair_cells(
    report: govdisclosure.Report, expected: dict[str, Any]
) -> list[tuple[dict[str, Any], govdisclosure.Cell | None]]:
    """Each expected cell with the report's cell at the same official labels."""
    index: dict[tuple[str, str, str], govdisclosure.Cell] = {}
    for table in report.tables:
        for cell in table.cells:
            parts = [_core(p) for p in cell.column_label.split("/")]
            row = _core(cell.row_label.split("/")[-1]) if cell.row_label else ""
            index[(table.name, row, "/".join(parts[-2:]))] = cell
            index.setdefault((table.name, row, parts[-1]), cell)
    return [
        (e, index.get(_key(e["table"], e["row"], e["column"])))
        for e in expected["cells"]
    ]


def undetermined(expected: dict[str, Any], truth: dict[str, Any]) -> bool:
    """Whether a null truth is a value the text does not determine (not an empty cell)."""
    if truth["value"] is not None:
        return False
    if "blank_note" not in expected:  # null means only "undetermined" here
        return True
    name = Path(expected["source"]).stem
    cells = {_key(*k) for k in UNDETERMINED.get(name, frozenset())}
    return _key(truth["table"], truth["row"], truth["column"]) in cells


def verdict(
    expected: dict[str, Any], truth: dict[str, Any], cell: govdisclosure.Cell | None
) -> Verdict:
    """One true cell judged by the conventions of the module docstring."""
    if cell is None:
        return "no cell"
    claimed = cell.status in (
        govdisclosure.CellStatus.OK,
        govdisclosure.CellStatus.INFERRED,
    )
    if truth["value"] is not None:
        if not claimed:
            return "flagged"
        same = Decimal(str(cell.value)) == Decimal(str(truth["value"]))
        return "right" if same else "wrong"
    if undetermined(expected, truth):
        return "wrong" if claimed else "flagged"
    if not claimed:  # an empty cell
        return "right" if cell.status is govdisclosure.CellStatus.BLANK else "flagged"
    zero_ok = bool(expected.get("blank_is_zero_ok")) and cell.value == 0
    return "right" if zero_ok else "wrong"


def judge(
    report: govdisclosure.Report, expected: dict[str, Any]
) -> list[tuple[dict[str, Any], govdisclosure.Cell | None, Verdict]]:
    """Every expected cell with the report's cell and its verdict."""
    return [
        (truth, cell, verdict(expected, truth, cell))
        for truth, cell in pair_cells(report, expected)
    ]


def wrong_cells(report: govdisclosure.Report, expected: dict[str, Any]) -> list[str]:
    """Cells claimed ok/inferred against the truth, and true cells with no cell (must be none)."""
    out = []
    for truth, cell, said in judge(report, expected):
        if cell is None:
            out.append(
                f"{truth['table']} {truth['row']} / {truth['column']}: no such cell"
            )
        elif said == "wrong":
            out.append(
                f"{cell.key}: {cell.status.value} {cell.value}, true {truth['value']}"
                + (" (undetermined)" if undetermined(expected, truth) else "")
            )
    return out
