"""Inputs beyond UTF-8 text: encodings, saved web pages, .docx and .pdf files.

The files are made here: real reports (the golden cases, values typed by hand
from the reports) re-encoded, or printed as a web page with the official
merged cells (rowspan/colspan), a Word document and a PDF with the same
merges. Every cell must come back with its true value.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import govdisclosure
from govdisclosure.model import CellStatus
from govdisclosure.spec.registry import default_registry
from govdisclosure.testing.golden import (
    expected_cell,
    find_cases,
    read_case,
)
from govdisclosure.testing.render import FilledReport, Layout, render

from .documents import write_docx, write_pdf

TESTS = Path(__file__).parent.parent
SEEDS = TESTS / "data" / "seeds"
HAND_PIPE = TESTS / "data" / "handwritten" / "gov2021-pipe.txt"


def _cells(report: govdisclosure.Report) -> list[tuple[str, str, Any]]:
    return [(c.key, c.status.value, c.value) for c in report.cells]


def _traditional(text: str) -> str:
    """Taiwan forms: every character is in Big5."""
    import opencc

    return str(opencc.OpenCC("s2tw").convert(text))


@pytest.mark.parametrize(
    ("source", "encoding", "convert"),
    [
        (SEEDS / "001_12bbc16d07ceb1d3.txt", "gb18030", None),
        (SEEDS / "002_b8ee9625f2e300c7.txt", "gbk", None),
        (HAND_PIPE, "big5", _traditional),
        (SEEDS / "004_c493ddf6db4f273e.txt", "utf-8-sig", None),
        (SEEDS / "003_989e8d6af49b963c.txt", "utf-16", None),
    ],
)
def test_encodings_are_detected(
    source: Path, encoding: str, convert: Any, tmp_path: Path
) -> None:
    """The same report in another encoding gives the same cells, and says how it was read."""
    text = source.read_text("utf-8")
    if convert:
        text = convert(text)
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode(encoding))

    report = govdisclosure.load_file(path)

    assert _cells(govdisclosure.load(text)) == _cells(report)
    (note,) = [f for f in report.findings if f.code == "input.encoding"]
    shown = {"gbk": "gb18030", "utf-8-sig": "utf-8"}.get(encoding, encoding)
    how = "bom" if encoding.startswith("utf") else "detected"
    assert f"report.txt: read as {shown} ({how})" == note.message


def test_plain_utf8_needs_no_note(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_text(HAND_PIPE.read_text("utf-8"), "utf-8")

    assert [] == [
        f for f in govdisclosure.load_file(path).findings if f.code == "input.encoding"
    ]


def test_undecodable_bytes_are_refused_not_guessed(tmp_path: Path) -> None:
    """Bytes no Chinese encoding reads cleanly: InputError, no replacement characters."""
    path = tmp_path / "r.txt"
    path.write_bytes(bytes([0x81, 0x20, 0xFF, 0xFE, 0x80]) * 50)

    with pytest.raises(govdisclosure.InputError, match="cannot tell the text encoding"):
        govdisclosure.load_file(path)


def test_a_wrong_given_encoding_names_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "r.txt"
    path.write_bytes("政府信息".encode("gb18030"))

    with pytest.raises(govdisclosure.InputError, match="not valid utf-8 at byte 0"):
        govdisclosure.load_file(path, encoding="utf-8")


# --- HTML ----------------------------------------------------------------------


def test_html_tables_are_read_from_their_markup() -> None:
    """Merged labels written once, empty spanned cells kept in place, layout tables unwrapped."""
    page = """<html><head><title>t</title><script>var x = "<td>9</td>";</script></head>
    <body><table><tr><td><p>一、总体情况</p><p>正文<br>第二行</p>
    <table border=1>
      <tr><td rowspan=2 colspan=2></td><td colspan=2>申请人情况</td></tr>
      <tr><td>自然人</td><td>商业<br>企业</td></tr>
      <tr><td rowspan=2>三、结果</td><td>(一)予以公开</td><td colspan=2></td></tr>
      <tr><td>(二)部分公开</td><td>4</td><td>&nbsp;</td></tr>
    </table></td></tr></table></body></html>"""

    assert (
        "一、总体情况\n正文\n第二行\n"
        "|  |  | 申请人情况 |\n"
        "| 自然人 | 商业 企业 |\n"
        "| 三、结果 | (一)予以公开 |  |  |\n"
        "| (二)部分公开 | 4 |  |\n"
    ) == govdisclosure.html_to_text(page)


def _all_ok_cases() -> list[Path]:
    """Golden cases whose every cell is typed as a plain value (no blank, no flag)."""
    out = []
    for path in find_cases(TESTS / "golden" / "cases"):
        case = read_case(path)
        statuses = {
            expected_cell(c)[0]
            for rows in case["tables"].values()
            for r in rows.values()
            for c in r
        }
        if statuses == {CellStatus.OK}:
            out.append(path)
    return out


OK_CASES = _all_ok_cases()


def _page(case_path: Path, **layout: Any) -> tuple[str, dict[str, Any]]:
    """The golden case's true values printed as a saved web page."""
    case = read_case(case_path)
    spec = default_registry().get(case["format"])
    values = {
        table: {
            row: [expected_cell(c)[1] for c in cells] for row, cells in rows.items()
        }
        for table, rows in case["tables"].items()
    }
    filled = FilledReport(
        spec, values, year=case["year"], organization=case["organization"]
    )
    return render(filled, Layout(cells="html", **layout), random.Random(0)), case


def _assert_every_cell(report: govdisclosure.Report, case: dict[str, Any]) -> int:
    checked = 0
    for table, rows in case["tables"].items():
        for row_key, written in rows.items():
            got = report.table(table).grid()[
                report.table(table).row_keys.index(row_key)
            ]
            for cell, typed in zip(got, written, strict=True):
                status, value = expected_cell(typed)
                assert (status, value) == (cell.status, cell.value), cell.key
                checked += 1
    assert case["year"] == report.year
    assert case["organization"] == report.organization
    return checked


def test_there_are_cases_to_print() -> None:
    assert {"gov-2019", "gov-2021", "gov-2014-statistics"} <= {
        read_case(p)["format"] for p in OK_CASES
    }


@pytest.mark.parametrize("case_path", OK_CASES, ids=[p.stem for p in OK_CASES])
def test_a_saved_gb2312_page_parses_with_every_cell_correct(
    case_path: Path, tmp_path: Path
) -> None:
    """rowspan/colspan tables inside a layout table, GB2312 declared, chrome around."""
    page, case = _page(case_path, chrome=True, wrap=True)
    assert 'rowspan="' in page or case["format"] == "gov-2014-statistics"
    path = tmp_path / "report.html"
    path.write_bytes(
        page.replace('charset="utf-8"', 'charset="gb2312"').encode("gb18030")
    )

    report = govdisclosure.load_file(path)

    assert case["format"] == report.format
    assert _assert_every_cell(report, case) == len(list(report.cells))
    codes = {f.code for f in report.findings}
    assert {"input.html", "input.encoding"} <= codes
    assert "invariant.violated" not in codes


def test_html_markup_given_to_load_is_read_as_html() -> None:
    page, case = _page(OK_CASES[0])

    report = govdisclosure.load(page)

    _assert_every_cell(report, case)
    assert "input.html" == report.findings[0].code


# --- .docx and .pdf --------------------------------------------------------------


# a Word document with merged cells; a PDF with ruled tables and spanned cells
DOCUMENTS = [
    (".docx", write_docx, ("docx",)),
    (".pdf", write_pdf, ("pypdfium2", "reportlab")),
]


@pytest.mark.parametrize(("suffix", "write", "needs"), DOCUMENTS, ids=[".docx", ".pdf"])
@pytest.mark.parametrize("case_path", OK_CASES, ids=[p.stem for p in OK_CASES])
def test_a_document_parses_with_every_cell_correct(
    case_path: Path, suffix: str, write: Any, needs: tuple[str, ...], tmp_path: Path
) -> None:
    for module in needs:
        pytest.importorskip(module)
    page, case = _page(case_path)
    path = tmp_path / f"report{suffix}"
    write(page, path)

    report = govdisclosure.load_file(path)

    assert _assert_every_cell(report, case) == len(list(report.cells))


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_a_damaged_document_is_an_input_error(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"broken{suffix}"
    path.write_bytes(b"not really a document" * 10)

    with pytest.raises(govdisclosure.InputError, match=f"cannot read as {suffix[1:]}"):
        govdisclosure.load_file(path)


def test_a_missing_extra_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pypdfium2", None)  # import fails
    path = tmp_path / "r.pdf"
    path.write_bytes(b"%PDF-1.4")

    with pytest.raises(govdisclosure.MissingExtraError, match=r"govdisclosure\[pdf\]"):
        govdisclosure.load_file(path)


def test_markup_lxml_cannot_read_whole_is_refused_not_cut() -> None:
    """Past 255 nested elements lxml stops reading: an InputError, not a shorter report."""
    page = (
        "<html><body><p>a</p>" + "<div>" * 300 + "x" + "</div>" * 300 + "</body></html>"
    )

    with pytest.raises(govdisclosure.InputError, match="cannot read the page's markup"):
        govdisclosure.load(page)


def test_a_page_of_nothing_is_empty_input() -> None:
    assert "\n" == govdisclosure.html_to_text("<!-- only a comment -->")
    with pytest.raises(govdisclosure.InputError, match="empty"):
        govdisclosure.load("<html><body><table></table></body></html>")


_TAGS = st.sampled_from(
    [
        "<table>",
        "</table>",
        "<tr>",
        "<td>",
        "<td rowspan=2>",
        "<td colspan=x>",
        "</td>",
        "<th colspan=3>",
        "<br>",
        "<p>",
        "</p>",
        "<div>",
        "<script>",
        "</script>",
        "&nbsp;",
        "<!--",
        "-->",
        "一、本年新收政府信息公开申请数量",
        "12",
        "|",
        "<td colspan=999>",
    ]
)


@given(st.lists(_TAGS | st.text(max_size=5), max_size=60))
def test_any_markup_gives_a_report_or_our_error(parts: list[str]) -> None:
    try:
        govdisclosure.load("<html><body><table>" + "".join(parts))
    except govdisclosure.GovDisclosureError as exc:
        assert not isinstance(exc, govdisclosure.InternalError), exc
