"""``govdisclosure review`` pages and ``corrections merge`` (issue 22), without a browser.

The browser test is tests/test_review_browser.py; here: the pages of the
real reports exist and fetch nothing, the page marks each cell's place, and
a decisions file reaches the corrections file only inside the folder given.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

import govdisclosure
from govdisclosure.cli import main
from govdisclosure.corrections import CorrectionsError
from govdisclosure.model import CellStatus
from govdisclosure.review.decisions import merge_decisions

REAL = Path(__file__).parent / "data" / "real"
REAL_05 = REAL / "05-hebei-gxt-2022.txt"
#: The SHA-256 of the text a review page of REAL_05 shows (the file is UTF-8 without a BOM).
SHA_05 = hashlib.sha256(REAL_05.read_bytes()).hexdigest()

#: src= or href= pointing anywhere off the page: http(s), protocol-relative, file.
_EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:[a-z]+:)?//""", re.I)


def test_review_writes_an_index_and_a_page_per_real_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports = sorted(p for p in REAL.iterdir() if p.suffix in (".txt", ".pdf"))
    assert len(reports) == 18

    assert main(["review", str(REAL), "-o", str(tmp_path)]) == 0

    pages = sorted(p.name for p in tmp_path.glob("*.html"))
    assert pages == sorted([*(p.stem + ".html" for p in reports), "index.html"])
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    for report in reports:
        assert f'href="{report.stem}.html"' in index
    for page in tmp_path.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not _EXTERNAL.search(text), page.name
        assert "<link" not in text
        assert "url(" not in text
        assert "@import" not in text
    assert "18 page(s)" in capsys.readouterr().out


def test_the_index_puts_what_needs_attention_first(tmp_path: Path) -> None:
    """03 (35 ambiguous cells) comes before 01 (every cell ok), read from the index."""
    main(
        [
            "review",
            str(REAL / "01-hebei-kjt-2015.txt"),
            str(REAL / "03-hebei-gxt-2019.txt"),
            "-o",
            str(tmp_path),
        ]
    )
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert index.index("03-hebei-gxt-2019.html") < index.index("01-hebei-kjt-2015.html")


def _page_data(page: Path) -> dict[str, Any]:
    text = page.read_text(encoding="utf-8")
    found = re.search(
        r'<script type="application/json" id="data">(.*?)</script>', text, re.S
    )
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_the_page_marks_each_cells_place_in_the_source(tmp_path: Path) -> None:
    """05's glued ``5426`` is the place of its three ambiguous cells; 行政许可 194 its own."""
    main(["review", str(REAL_05), "-o", str(tmp_path)])
    page = tmp_path / "05-hebei-gxt-2022.html"
    data = _page_data(page)
    text = page.read_text(encoding="utf-8")

    glued = data["cells"]["t2_1.normative_documents.issued"]
    assert glued["status"] == "ambiguous"
    assert glued["candidates"] == ["5", "54"]
    assert not glued["own"]
    source = REAL_05.read_text(encoding="utf-8")
    assert [source[s:e] for s, e in glued["places"]] == ["5426"]
    licence = data["cells"]["t2_5.administrative_license.decisions"]
    assert (licence["status"], licence["value"], licence["own"]) == ("ok", "194", True)
    assert [source[s:e] for s, e in licence["places"]] == ["194"]
    # the source shows the glued run once, marked for its three cells
    assert re.search(
        r'<span class="m st-ambiguous" data-k="[^"]*t2_1\.normative_documents\.issued[^"]*">5426</span>',
        text,
    )
    assert "<h3>二（一） <small>t2_1</small></h3>" in text


def test_the_page_shows_decided_cells(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(REAL_05, folder)
    decided = folder / "05-hebei-gxt-2022.corrections.yaml"
    decided.write_text(
        "corrections: 1\ncells:\n  t2_1.normative_documents.issued:\n    value: 5\n"
        "    by: 张三\n    at: 2026-11-30\n    why: 2021年报告\n    raw: '5426'\n",
        encoding="utf-8",
    )
    main(["review", str(folder), "-o", str(tmp_path / "out")])
    data = _page_data(tmp_path / "out" / "05-hebei-gxt-2022.html")

    cell = data["cells"]["t2_1.normative_documents.issued"]
    assert (cell["status"], cell["value"]) == ("corrected", "5")
    assert cell["decision"] == {"by": "张三", "at": "2026-11-30", "why": "2021年报告"}


def _decisions(report: str = "05-hebei-gxt-2022.txt", **change: Any) -> dict[str, Any]:
    decision = {
        "cell": "t2_1.normative_documents.repealed",
        "value": "4",
        "by": "张三",
        "at": "2026-11-30T09:00:00.000Z",
        "why": "与2021、2023年报告相接",
        "raw": "5426",
        "span": None,
        "override": False,
    }
    decision.update(change)
    return {
        "govdisclosure": "decisions",
        "version": 1,
        "report": report,
        "sha256": SHA_05,
        "decisions": [decision],
    }


def _write(path: Path, body: object) -> Path:
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def test_merge_brings_decisions_into_the_corrections_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    report = folder / REAL_05.name
    shutil.copy(REAL_05, report)
    first = _write(tmp_path / "a.decisions.json", _decisions(value="42"))
    second = _write(tmp_path / "b.decisions.json", _decisions())

    assert main(["corrections", "merge", str(first), "--reports", str(folder)]) == 0
    assert main(["corrections", "merge", str(second), "--reports", str(folder)]) == 0

    out = capsys.readouterr().out
    assert "1 decision(s) added, 0 replaced" in out
    assert "0 decision(s) added, 1 replaced" in out  # the newer decision wins
    cell = (
        govdisclosure.load_file(report)
        .table("t2_1")
        .cell("normative_documents", "repealed")
    )
    assert (cell.status, cell.value) == (CellStatus.CORRECTED, 4)


def test_merge_refuses_decisions_made_on_another_text(tmp_path: Path) -> None:
    """A report changed since its page was made (here one figure of its 三 edited)
    may print other values in the cells decided: nothing is written, and the
    message says the texts differ and what to do."""
    folder = tmp_path / "reports"
    folder.mkdir()
    report = folder / REAL_05.name
    text = REAL_05.read_text("utf-8")
    assert "5426" in text
    report.write_text(text.replace("5426", "5427", 1), "utf-8")
    decisions = _write(tmp_path / "a.decisions.json", _decisions())

    with pytest.raises(CorrectionsError, match="made on another text of 05-hebei"):
        merge_decisions(decisions, folder)
    assert not list(folder.glob("*.corrections.yaml"))

    report.write_text(text, "utf-8")  # the text the page showed: merged
    assert merge_decisions(decisions, folder).added == (
        "t2_1.normative_documents.repealed",
    )


@pytest.mark.parametrize(("sha256", "merged"), [(None, True), ("0", False)])
def test_a_decisions_file_without_a_digest_is_guarded_by_raw_alone(
    tmp_path: Path, sha256: str | None, merged: bool
) -> None:
    """A file written by hand may leave ``sha256`` out (each decision's ``raw``
    guards it at every load); one that gives it must give a real digest."""
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(REAL_05, folder / REAL_05.name)
    body = _decisions()
    if sha256 is None:
        del body["sha256"]
    else:
        body["sha256"] = sha256
    decisions = _write(tmp_path / "a.decisions.json", body)

    if merged:
        assert merge_decisions(decisions, folder).added
    else:
        with pytest.raises(CorrectionsError, match="sha256 is not 64"):
            merge_decisions(decisions, folder)


@pytest.mark.parametrize(
    "name",
    [
        "../05-hebei-gxt-2022.txt",
        "/etc/passwd",
        ".05.txt",
        "sub/05.txt",
        "a\\b.txt",
        "missing.txt",
        "",
        None,
        5,
    ],
)
def test_merge_writes_nothing_outside_the_folder(tmp_path: Path, name: Any) -> None:
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(REAL_05, tmp_path)  # a report one level up: never reached
    shutil.copy(REAL_05, folder / "sub" / "05.txt")
    decisions = _write(tmp_path / "d.json", _decisions(report=name))
    before = sorted(p for p in tmp_path.rglob("*"))

    with pytest.raises(CorrectionsError):
        merge_decisions(decisions, folder)

    assert sorted(p for p in tmp_path.rglob("*")) == before


def test_merge_refuses_a_report_linked_from_outside(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(REAL_05, tmp_path)
    (folder / REAL_05.name).symlink_to(tmp_path / REAL_05.name)
    decisions = _write(tmp_path / "d.json", _decisions())

    with pytest.raises(CorrectionsError, match="not a file in"):
        merge_decisions(decisions, folder)
    assert not (tmp_path / "05-hebei-gxt-2022.corrections.yaml").exists()


@pytest.mark.parametrize(
    "change",
    [
        {"value": "1e3"},
        {"value": "-4"},
        {"value": 4.5},
        {"value": True},
        {"cell": "t2_1/../x"},
        {"by": ""},
        {"at": "yesterday"},
        {"why": "  "},
        {"raw": 5426},
        {"span": [5, 2]},
        {"override": "yes"},
        {"script": "<x>"},
    ],
)
def test_merge_validates_every_decision(tmp_path: Path, change: dict[str, Any]) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(REAL_05, folder)
    decisions = _write(tmp_path / "d.json", _decisions(**change))

    with pytest.raises(CorrectionsError):
        merge_decisions(decisions, folder)
    assert not (folder / "05-hebei-gxt-2022.corrections.yaml").exists()


def test_merge_refuses_what_is_no_decisions_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(REAL_05, folder)
    bad = tmp_path / "x.json"
    bad.write_text("{not json", encoding="utf-8")

    assert main(["corrections", "merge", str(bad), "--reports", str(folder)]) == 2
    assert "x.json:1:" in capsys.readouterr().err
    assert not (folder / "05-hebei-gxt-2022.corrections.yaml").exists()


def test_review_reads_no_page_of_its_own_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``review reports/ -o reports/review/`` twice: the pages written are no reports."""
    shutil.copy(REAL_05, tmp_path)
    out = tmp_path / "review"
    assert main(["review", str(tmp_path), "-o", str(out)]) == 0
    assert main(["review", str(tmp_path), "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "05-hebei-gxt-2022.html",
        "index.html",
    ]
    assert "1 page(s)" in capsys.readouterr().out


def test_review_takes_one_corrections_file_for_one_report_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    decided = tmp_path / "d.yaml"
    decided.write_text("corrections: 1\ncells:\n", encoding="utf-8")
    assert (
        main(
            [
                "review",
                str(REAL),
                "-o",
                str(tmp_path / "o"),
                "--corrections",
                str(decided),
            ]
        )
        == 2
    )
    assert "one report only" in capsys.readouterr().err
    assert (
        main(
            [
                "review",
                str(REAL_05),
                "-o",
                str(tmp_path / "o"),
                "--corrections",
                str(decided),
            ]
        )
        == 0
    )


def test_markup_in_a_report_stays_text_on_its_page(tmp_path: Path) -> None:
    """A report's text is shown, never run: a script in it is escaped."""
    hostile = tmp_path / "05.txt"
    hostile.write_text(
        REAL_05.read_text(encoding="utf-8") + "\n</pre><script>alert(1)</script><!--\n",
        encoding="utf-8",
    )
    assert main(["review", str(hostile), "-o", str(tmp_path / "o")]) == 0
    page = (tmp_path / "o" / "05.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<script") == 2  # the page's data and its script
