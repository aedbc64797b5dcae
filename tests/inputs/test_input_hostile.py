"""Hostile input files (issue 19): each is an `InputError` (or a Report), within a bound.

Each case is made here, in ``tmp_path``, and read in a fresh Python process
that measures its own time and peak memory, imports included (``VmHWM`` on
Linux, where ``ru_maxrss`` would keep the test process's own peak across
``exec``; ``ru_maxrss`` elsewhere). A case that regresses to reading without
bound fails on its numbers, not by taking the machine down: the process runs
under an address-space limit and a timeout. The bounds are generous for a
busy machine. Measured before the bounds, and after (2 busy cores)::

    link to /dev/zero               27 s, 5.9 GB, MemoryError  →  0.0 s, 31 MB
    link to /dev/zero as .pdf       never returned            →  0.0 s, 31 MB
    named pipe                      never returned            →  0.0 s, 31 MB
    500 pages (one line each)       4 s, 83 MB                →  0.3 s, 45 MB
    .docx of 6M paragraphs          37 s, 808 MB              →  0.07 s, 40 MB
    46 MB of <td colspan=100>       70 s, 1.1 GB              →  0.3 s, 119 MB
    4 MB of <td colspan=100>        5.6 s, 132 MB             →  1.3 s, 133 MB
    1.6M short lines                over 150 s                →  0.2 s, 43 MB
    encrypted, lone surrogate, 4,400 digits, charset "undefined": under 1 s,
    each now an InputError saying what it is (or a Report), not a raw or
    internal error
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import govdisclosure
from govdisclosure.errors import InputError
from govdisclosure.pipeline.read import input_limits

resource = pytest.importorskip("resource")  # not on Windows

TESTS = Path(__file__).parent.parent
HAND_PIPE = TESTS / "data" / "handwritten" / "gov2021-pipe.txt"
ROOT = Path(govdisclosure.__file__).parent.parent

#: What one hostile input may cost, measured in its own process (imports included).
SECONDS = 10.0
MEGABYTES = 600
#: The child's address space: a regression fails with MemoryError, not the machine.
_ADDRESS_SPACE = 4 * 1024**3

_CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({space}, {space}))
import govdisclosure
from govdisclosure.pipeline.read import input_limits
path = sys.argv[1]
start = time.perf_counter()
try:
    with input_limits(**json.loads(sys.argv[2])):
        result = {call}
    out = {{"report": sorted(f.code for f in result.findings),
           "cells": sum(c.status.value == "ok" for c in result.cells),
           "flagged": {{c.key: [c.status.value, (c.reason or "")[:80]]
                       for c in result.cells if c.status.value != "ok"}}}}
except BaseException as exc:
    out = {{"error": type(exc).__name__, "message": str(exc)}}
out["seconds"] = time.perf_counter() - start
out["mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:  # Linux: this process's own peak (ru_maxrss keeps the parent's from before exec)
    status = open("/proc/self/status").read()
    out["mb"] = int(status.split("VmHWM:")[1].split()[0]) / 1024
except (OSError, IndexError, ValueError):
    pass
print(json.dumps(out))
"""


def _measured(
    call: str, path: Path, limits: dict[str, int] | None = None
) -> dict[str, object]:
    """``call`` (with ``path``) in a fresh process: its outcome, seconds and peak MB."""
    code = _CHILD.format(space=_ADDRESS_SPACE, call=call)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code, str(path), json.dumps(limits or {})],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{path.name}: {out}")  # the numbers, with -s
    return out


def _report_text() -> str:
    return HAND_PIPE.read_text(encoding="utf-8")


# --- the hostile files --------------------------------------------------------


def _dev_zero(tmp: Path, suffix: str) -> Path:
    link = tmp / f"zero{suffix}"
    link.symlink_to("/dev/zero")
    return link


def _fifo(tmp: Path) -> Path:
    fifo = tmp / "pipe.txt"
    os.mkfifo(fifo)  # opening it would block until someone writes
    return fifo


def _pdf_pages(tmp: Path, pages: int) -> Path:
    from reportlab.pdfgen import canvas

    path = tmp / f"pages{pages}.pdf"
    pdf = canvas.Canvas(str(path))
    for n in range(pages):
        pdf.drawString(72, 720, f"page {n + 1}: 1 2 3 4 5 6 7 8 9 10")
        pdf.showPage()
    pdf.save()
    return path


def _encrypted_pdf(tmp: Path, user_password: str) -> Path:
    """A PDF encrypted by reportlab; without a user password it opens, its text in CID glyphs."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp / f"encrypted-{user_password or 'owner'}.pdf"
    secret = StandardEncryption(user_password, "owner", canCopy=0)
    pdf = canvas.Canvas(str(path), encrypt=secret)
    pdf.setFont("STSong-Light", 12)
    for n, line in enumerate(_report_text().splitlines()[:40]):
        pdf.drawString(40, 800 - 18 * n, line[:60])
    pdf.save()
    return path


def _glyph_codes_pdf(tmp: Path) -> Path:
    """A PDF whose font maps no glyph to a character: its ``/ToUnicode`` maps taken out.

    reportlab numbers the glyphs past ASCII of a font subset from 1 and says
    which characters they are only in the map, as PDFs made not to be copied do.
    """
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    font = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    pdfmetrics.registerFont(TTFont("Vera", str(font)))
    path = tmp / "glyph-codes.pdf"
    pdf = canvas.Canvas(str(path), pageCompression=0)
    pdf.setFont("Vera", 12)
    for n in range(40):
        pdf.drawString(40, 800 - 18 * n, "ÉÈÊËÀÂÄÔÖÜÛÇÑ éèêëàâäôöüûçñ ±½¼")
    pdf.save()
    path.write_bytes(re.sub(rb"/ToUnicode \d+ 0 R", b"", path.read_bytes()))
    return path


def _docx(tmp: Path, name: str, parts: dict[str, bytes]) -> Path:
    """A .docx made by python-docx, then its parts replaced or added."""
    import docx

    plain = tmp / "plain.docx"
    docx.Document().save(str(plain))
    path = tmp / name
    with (
        zipfile.ZipFile(plain) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in src.infolist():
            if info.filename not in parts:
                out.writestr(info, src.read(info))
        for part, data in parts.items():
            out.writestr(part, data)
    return path


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_paragraphs(tmp: Path, count: int) -> Path:
    """633 KB of .docx that python-docx would parse as ``count`` paragraphs."""
    body = b"<w:p/>" * count
    document = f"<w:document {_W}><w:body>".encode() + body + b"</w:body></w:document>"
    return _docx(tmp, "paragraphs.docx", {"word/document.xml": document})


def _docx_parts(tmp: Path, count: int) -> Path:
    extra = {f"word/extra/part{n}.bin": b"x" for n in range(count)}
    return _docx(tmp, "parts.docx", extra)


def _colspan_page(tmp: Path, megabytes: float) -> Path:
    cell = "<td colspan=100></td>"
    rows = int(megabytes * 1e6) // (len(cell) * 100 + 9)
    row = "<tr>" + cell * 100 + "</tr>"
    path = tmp / f"colspan{megabytes}.html"
    path.write_text(f"<html><body><table>{row * rows}</table></body></html>")
    return path


def _short_lines(tmp: Path, lines: int) -> Path:
    path = tmp / "lines.txt"
    path.write_text(_report_text() + "一\n" * lines, encoding="utf-8")
    return path


def _undefined_charset(tmp: Path) -> Path:
    """The report as a GB18030 web page that declares a charset Python cannot decode with."""
    body = "".join(f"<p>{line}</p>\n" for line in _report_text().splitlines())
    page = f'<html><head><meta charset="undefined"></head><body>{body}</body></html>'
    path = tmp / "undefined.html"
    path.write_bytes(page.encode("gb18030"))
    return path


def _undefined_xml(tmp: Path) -> Path:
    body = "".join(f"<p>{line}</p>\n" for line in _report_text().splitlines())
    page = (
        '<?xml version="1.0" encoding="undefined"?>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml"><body>{body}</body></html>'
    )
    path = tmp / "undefined.xhtml"
    path.write_bytes(page.encode("gb18030"))
    return path


def _text_file(tmp: Path, name: str, text: str) -> Path:
    path = tmp / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


LOAD_FILE = "govdisclosure.load_file(path)"
LOAD_TEXT = (
    "govdisclosure.load(open(path, encoding='utf-8', errors='surrogatepass').read())"
)

#: id → (make the file, the call, the bounds changed, the error's name and words)
CASES: dict[str, tuple[Callable[[Path], Path], str, dict[str, int], str, str]] = {
    "link to /dev/zero": (
        lambda t: _dev_zero(t, ".txt"),
        LOAD_FILE,
        {},
        "InputError",
        "is a character device, not a regular file",
    ),
    "link to /dev/zero as .pdf": (
        lambda t: _dev_zero(t, ".pdf"),
        LOAD_FILE,
        {},
        "InputError",
        "is a character device, not a regular file",
    ),
    "named pipe": (_fifo, LOAD_FILE, {}, "InputError", "is a named pipe (FIFO)"),
    "file past max_file_bytes": (
        lambda t: _text_file(t, "big.txt", "一" * 1_000_000),
        LOAD_FILE,
        {"max_file_bytes": 2_000_000},
        "InputError",
        "max_file_bytes=2,000,000",
    ),
    "encoding='undefined'": (
        lambda t: _text_file(t, "report.txt", _report_text()),
        "govdisclosure.load_file(path, encoding='undefined')",
        {},
        "InputError",
        "cannot decode as 'undefined'",
    ),
    "lone surrogate": (
        lambda t: _text_file(t, "surrogate.txt", _report_text() + "\ud800\n"),
        LOAD_TEXT,
        {},
        "InputError",
        "lone surrogate (U+D800)",
    ),
    "500-page PDF": (
        lambda t: _pdf_pages(t, 500),
        LOAD_FILE,
        {},
        "InputError",
        "the PDF has 500 pages: over the limit max_pdf_pages=100",
    ),
    "encrypted PDF (user password)": (
        lambda t: _encrypted_pdf(t, "secret"),
        LOAD_FILE,
        {},
        "InputError",
        "the PDF is encrypted (it needs a password to open)",
    ),
    "encrypted PDF (owner password: cid glyphs)": (
        lambda t: _encrypted_pdf(t, ""),
        LOAD_FILE,
        {},
        "InputError",
        "the PDF's text layer is unreadable (cid glyphs)",
    ),
    "PDF of glyph codes (no Unicode map)": (
        _glyph_codes_pdf,
        LOAD_FILE,
        {},
        "InputError",
        "the PDF's text layer is unreadable (cid glyphs)",
    ),
    "docx of 6M paragraphs": (
        lambda t: _docx_paragraphs(t, 6_000_000),
        LOAD_FILE,
        {},
        "InputError",
        "over the limit max_docx_tags=1,000,000",
    ),
    "docx of 1,001 parts": (
        lambda t: _docx_parts(t, 1_001),
        LOAD_FILE,
        {},
        "InputError",
        "parts: over the limit max_docx_parts=1,000",
    ),
    "docx past max_docx_bytes": (
        lambda t: _docx(t, "large.docx", {"word/media/blob.bin": b"\0" * 3_000_000}),
        LOAD_FILE,
        {"max_docx_bytes": 2_000_000},
        "InputError",
        "over the limit max_docx_bytes=2,000,000",
    ),
    "46 MB of <td colspan=100>": (
        lambda t: _colspan_page(t, 46),
        LOAD_FILE,
        {},
        "InputError",
        "over the limit max_markup_chars=20,000,000",
    ),
    "4 MB of <td colspan=100>": (
        lambda t: _colspan_page(t, 4),
        LOAD_FILE,
        {},
        "InputError",
        "over the limit max_table_cells=1,000,000",
    ),
    "1.6M short lines": (
        lambda t: _short_lines(t, 1_600_000),
        LOAD_FILE,
        {},
        "InputError",
        "over the limit max_lines=200,000",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_input_is_an_input_error_within_bounds(
    case: str, tmp_path: Path
) -> None:
    make, call, limits, error, words = CASES[case]
    out = _measured(call, make(tmp_path), limits)
    assert (out.get("error"), words in str(out.get("message"))) == (error, True), out
    if "max_" in words:  # a bound's error says how to raise it
        assert "govdisclosure.pipeline.read.input_limits(" in str(out["message"])
    assert float(str(out["seconds"])) <= SECONDS, out
    assert float(str(out["mb"])) <= MEGABYTES, out


@pytest.mark.parametrize("make", [_undefined_charset, _undefined_xml])
def test_an_undefined_charset_is_ignored(
    make: Callable[[Path], Path], tmp_path: Path
) -> None:
    """A declared charset Python has no decoder for: the encoding is detected instead."""
    out = _measured(LOAD_FILE, make(tmp_path))
    assert "error" not in out, out
    assert "input.encoding" in list(out["report"]), out  # type: ignore[call-overload]
    assert int(str(out["cells"])) > 50, out
    assert float(str(out["seconds"])) <= SECONDS, out
    assert float(str(out["mb"])) <= MEGABYTES, out


#: The cell ``行政规范性文件 | 12 |`` (issued) in each layout, and what replaces 12.
_DIGIT_ROWS = {
    "pipes": ("行政规范性文件 | 12 |", "行政规范性文件 | {} |"),
    "spaces": ("行政规范性文件 | 12 | 2 | 85 |", "行政规范性文件  {}  2  85"),
    "glued": ("行政规范性文件 | 12 | 2 | 85 |", "行政规范性文件{}285"),
}
_RUNS = {
    "4,400 digits": "9" * 4400,
    "grouped": "1," + "234," * 2000 + "567",
    "decimal": "1." + "5" * 5000,
}


@pytest.mark.parametrize("layout", list(_DIGIT_ROWS))
@pytest.mark.parametrize("run", list(_RUNS))
def test_a_run_of_thousands_of_digits_is_no_value(
    layout: str, run: str, tmp_path: Path
) -> None:
    """Past Python's 4,300 digits an int cannot be made: the run is no value, its cell flagged.

    It was an InternalError; it is a Report whose cell is not ok (missing or
    ambiguous, with a reason), the rest of the report read.
    """
    old, new = _DIGIT_ROWS[layout]
    text = _report_text().replace(old, new.format(_RUNS[run]), 1)
    path = _text_file(tmp_path, "digits.txt", text)
    out = _measured(LOAD_TEXT, path)
    assert "error" not in out, out
    flagged: dict[str, list[str]] = out["flagged"]  # type: ignore[assignment]
    status, reason = flagged["t2_1.normative_documents.issued"]
    assert status in ("missing", "ambiguous"), out
    assert reason, out
    assert int(str(out["cells"])) > 50, out
    assert float(str(out["seconds"])) <= SECONDS, out
    assert float(str(out["mb"])) <= MEGABYTES, out


def test_a_raised_bound_lets_the_input_through(tmp_path: Path) -> None:
    """``input_limits`` raises a bound for a ``with`` block; outside it the default holds."""
    pdf = _pdf_pages(tmp_path, 3)
    with input_limits(max_pdf_pages=2), pytest.raises(InputError, match="3 pages"):
        govdisclosure.load_file(pdf)
    text = _report_text() + "\n" * 300
    with input_limits(max_lines=100), pytest.raises(InputError, match="max_lines=100"):
        govdisclosure.load(text)
    report = govdisclosure.load(text)
    assert report.table("t3").cell("new_requests", "total").value == 48


def test_a_glued_row_of_thousands_of_digits_is_not_searched(tmp_path: Path) -> None:
    """A glued row with equations (三's 部分公开 of real 05, every cell glued)
    whose run is 5,000 digits: the row decoder bounds a run's parts by the run
    read as one integer, which Python cannot make past 4,300 digits (it was an
    InternalError). The row is not searched: its cells flagged, a
    ``decode.bound`` finding, the rest read."""
    real = TESTS / "data" / "real" / "05-hebei-gxt-2022.txt"
    row = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）1000001"
    text = real.read_text(encoding="utf-8")
    assert row in text
    path = _text_file(tmp_path, "glued.txt", text.replace(row, row[:-7] + "1" * 5000))
    out = _measured(LOAD_TEXT, path)
    assert "error" not in out, out
    flagged: dict[str, list[str]] = out["flagged"]  # type: ignore[assignment]
    status, reason = flagged["t3.partial.total"]
    assert status in ("missing", "ambiguous"), out
    assert reason, out
    assert float(str(out["seconds"])) <= SECONDS, out
