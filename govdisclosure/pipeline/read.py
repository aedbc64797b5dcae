"""A file → the report's text: the encoding, or the reader for its kind of file.

This is the step before `normalize`: everything after it sees plain text.
`read_text` dispatches by suffix: a .pdf or .docx is extracted (the modules of
`govdisclosure.pipeline.inputs`, each needing its extra), any other file is
decoded (`decode`: a BOM, UTF-8, a page's declared charset, or GB18030 and
Big5 told apart), and a saved web page is read by `html_to_text` afterwards
(`govdisclosure.api`). Every kind writes its tables as pipe rows by the same
rules for merged cells (`govdisclosure.pipeline.inputs.pipes`).
"""

from __future__ import annotations

import codecs
import re
import sys
from enum import Enum
from pathlib import Path

from attrs import frozen

from govdisclosure.errors import InputError, MissingExtraError
from govdisclosure.pipeline.inputs.docx import docx_text
from govdisclosure.pipeline.inputs.html import html_to_text
from govdisclosure.pipeline.inputs.pdf import pdf_text

__all__ = [
    "HTML_SUFFIXES",
    "READABLE_SUFFIXES",
    "Decoded",
    "HowRead",
    "decode",
    "html_to_text",
    "looks_like_html",
    "read_text",
]

HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
#: The suffixes a folder is searched for (`batch.expand_paths`).
READABLE_SUFFIXES = (".txt", *HTML_SUFFIXES, ".pdf", ".docx")

# BOMs first: they are certain. UTF-32 before UTF-16 (same first two bytes).
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Legacy encodings of Chinese text; GB18030 is a superset of GB2312 and GBK.
_LEGACY = ("gb18030", "big5")
_SUPERSET = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
}
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I
)


class HowRead(str, Enum):
    """How a file's text was read: how its encoding was chosen, or extracted.

    A ``str`` enum: a member equals its value and prints as it (``how ==
    "utf-8"``, ``f"({how})"`` gives ``(utf-8)``), as when this was a string.
    """

    GIVEN = "given"  # the caller's encoding
    BOM = "bom"  # a byte-order mark
    UTF8 = "utf-8"  # the bytes are valid UTF-8
    DECLARED = "declared"  # an HTML page's <meta charset>
    DETECTED = "detected"  # GB18030 or Big5, whichever reads (or the likelier)
    EXTRACTED = "extracted"  # the text of a .pdf or .docx

    def __str__(self) -> str:
        return self.value


@frozen
class Decoded:
    """A file's text and how it was read (said in an ``input.encoding`` finding)."""

    text: str
    encoding: str
    how: HowRead


def decode(data: bytes, encoding: str | None = None, *, html: bool = False) -> Decoded:
    """Bytes → text: the given encoding, a BOM, UTF-8, a declared charset, or detected.

    Detection only chooses between GB18030 and Big5 (charset-normalizer
    judges which reading is coherent Chinese); a file neither reads cleanly as
    is refused rather than decoded with replacement characters, which would
    turn numbers and labels into noise silently.
    """
    if encoding:
        return Decoded(_strict(data, encoding), encoding, HowRead.GIVEN)
    for bom, name in _BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data, name), name.removesuffix("-sig"), HowRead.BOM)
    try:
        return Decoded(data.decode("utf-8"), "utf-8", HowRead.UTF8)
    except UnicodeDecodeError:
        pass
    if html and (declared := _META_CHARSET.search(data[:4096])):
        name = declared.group(1).decode("ascii").lower()
        name = _SUPERSET.get(name, name)
        try:
            return Decoded(data.decode(name), name, HowRead.DECLARED)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common: detect instead
    return _detect(data)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError as exc:
        raise InputError(f"unknown encoding {encoding!r}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid {encoding} at byte {exc.start}: {exc.reason}"
        ) from exc


def _detect(data: bytes) -> Decoded:
    from charset_normalizer import from_bytes

    readings = {
        name: text for name in _LEGACY if (text := _decoded(data, name)) is not None
    }
    if len(readings) == 1:
        ((name, text),) = readings.items()
        return Decoded(text, name, HowRead.DETECTED)
    if readings:
        best = from_bytes(data, cp_isolation=list(readings)).best()
        if best is not None:
            name = _SUPERSET.get(best.encoding, best.encoding)
            text = readings.get(name)
            return Decoded(
                data.decode(name) if text is None else text, name, HowRead.DETECTED
            )
    raise InputError(
        "cannot tell the text encoding (not UTF-8, GB18030 or Big5); "
        "pass encoding=... or decode the text yourself and call load()"
    )


def _decoded(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def looks_like_html(text: object) -> bool:
    """Whether a string is HTML markup rather than a page's text."""
    if not isinstance(text, str):
        return False  # load() refuses it with a clear message
    head = text[:1024].lstrip("\ufeff \t\r\n").lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or (
        head.startswith("<") and "<table" in text.lower()
    )


def read_text(path: str | Path, *, encoding: str | None = None) -> Decoded:
    """The text of a report file, by suffix: text, HTML, .pdf or .docx.

    ``-`` is standard input, read as bytes and decoded like a text file.

    Raises:
        InputError: the file cannot be read or decoded.
        MissingExtraError: a .pdf or .docx file without its extra installed.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    extractors = {".pdf": pdf_text, ".docx": docx_text}
    if suffix in extractors:
        try:
            return Decoded(extractors[suffix](path), suffix[1:], HowRead.EXTRACTED)
        except MissingExtraError:
            raise
        except Exception as exc:  # the extractor's own errors: a damaged file
            raise InputError(
                f"{path}: cannot read as {suffix[1:]}: {type(exc).__name__}: {exc}"
            ) from exc
    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc
    try:
        return decode(data, encoding, html=suffix in HTML_SUFFIXES)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from exc
