"""A file → the report's text: the encoding, or the reader for its kind of file.

This is the step before `normalize`: everything after it sees plain text.
`read_text` dispatches by suffix: a .pdf or .docx is extracted (the modules of
`govdisclosure.pipeline.inputs`, each needing its extra), any other file is
decoded (`decode`: a BOM, UTF-8, a page's declared charset, or GB18030 and
Big5 told apart), and a saved web page is read by `html_to_text` afterwards
(`govdisclosure.api`). Every kind writes its tables as pipe rows by the same
rules for merged cells (`govdisclosure.pipeline.inputs.pipes`).

Every file is bounded before the work: a special file (a named pipe, a
device) is refused without being opened, and at most
`InputLimits.max_file_bytes` are read, counted while reading, so a link to
``/dev/zero`` or a file still growing cannot exhaust memory.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import stat
import sys
from enum import Enum
from pathlib import Path
from typing import IO

from attrs import frozen

from govdisclosure.errors import InputError, MissingExtraError
from govdisclosure.pipeline.inputs.docx import docx_text
from govdisclosure.pipeline.inputs.html import html_to_text
from govdisclosure.pipeline.inputs.limits import (
    InputLimits,
    current_input_limits,
    input_limits,
    over,
)
from govdisclosure.pipeline.inputs.pdf import pdf_text

__all__ = [
    "HTML_SUFFIXES",
    "READABLE_SUFFIXES",
    "Decoded",
    "HowRead",
    "InputLimits",
    "current_input_limits",
    "decode",
    "html_to_text",
    "input_limits",
    "looks_like_html",
    "read_bytes",
    "read_text",
    "special_file",
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
        except (LookupError, UnicodeError):
            # a wrong declaration is common: detect instead. UnicodeError, not
            # only its UnicodeDecodeError: Python's codec "undefined" raises
            # it for any bytes, and "hex" or "rot13" are no text encodings
            pass
    return _detect(data)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError as exc:  # unknown, or not a text encoding ("hex")
        raise InputError(f"unknown text encoding {encoding!r}: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid {encoding} at byte {exc.start}: {exc.reason}"
        ) from exc
    except UnicodeError as exc:  # the codec "undefined" refuses every input
        raise InputError(f"cannot decode as {encoding!r}: {exc}") from exc


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


#: What ``os.stat`` calls the files that are refused, by kind.
_SPECIAL = {
    stat.S_ISFIFO: "a named pipe (FIFO)",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
    stat.S_ISSOCK: "a socket",
}


def special_file(path: str | Path) -> str | None:
    """What kind of special file ``path`` is (``"a named pipe (FIFO)"``…), or None.

    Found with ``os.stat``, which never opens the file (opening a named pipe
    blocks until someone writes to it). Symbolic links are followed: a link
    to ``/dev/zero`` is a device. A path that cannot be stat'ed is None here;
    reading it gives its error.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    return next((kind for test, kind in _SPECIAL.items() if test(mode)), None)


#: Bytes read at a time: the bound is checked after each piece.
_PIECE = 1 << 20


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes, at most `InputLimits.max_file_bytes` of them; ``-`` is standard input.

    A special file is refused before it is opened. The bound is checked
    while reading, not from the file's size, which a growing file (or
    standard input) does not have.

    Raises:
        InputError: a special file, a file past the bound, or one that cannot be read.
    """
    name = str(path)
    if name != "-" and (kind := special_file(path)) is not None:
        raise InputError(f"{path} is {kind}, not a regular file: not read")
    bound = current_input_limits().max_file_bytes
    try:
        if name == "-":
            return _bounded(sys.stdin.buffer, bound, path)
        with open(path, "rb") as file:
            return _bounded(file, bound, path)
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise InputError(f"{path}: cannot read: {exc}") from exc


def _bounded(file: IO[bytes], bound: int, path: str | Path) -> bytes:
    pieces: list[bytes] = []
    size = 0
    while piece := file.read(min(_PIECE, bound + 1 - size)):
        pieces.append(piece)
        size += len(piece)
        if size > bound:
            raise over(f"{path}: the file is larger than allowed", "max_file_bytes")
    return b"".join(pieces)


def read_text(path: str | Path, *, encoding: str | None = None) -> Decoded:
    """The text of a report file, by suffix: text, HTML, .pdf or .docx.

    ``-`` is standard input, read as bytes and decoded like a text file.
    Every file is read by `read_bytes` (bounded, special files refused) and
    a .pdf or .docx extracted from those bytes.

    Raises:
        InputError: the file cannot be read or decoded, or is past a bound.
        MissingExtraError: a .pdf or .docx file without its extra installed.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    data = read_bytes(path)
    extractors = {".pdf": pdf_text, ".docx": docx_text}
    if suffix in extractors:
        try:
            text = extractors[suffix](io.BytesIO(data))
        except (MissingExtraError, MemoryError):
            raise  # the caller's to handle: an extra to install, a memory limit
        except InputError as exc:  # a bound, encryption: said by the extractor
            raise InputError(f"{path}: {exc}") from exc
        except Exception as exc:  # the extractor's own errors: a damaged file
            raise InputError(
                f"{path}: cannot read as {suffix[1:]}: {type(exc).__name__}: {exc}"
            ) from exc
        return Decoded(text, suffix[1:], HowRead.EXTRACTED)
    try:
        return decode(data, encoding, html=suffix in HTML_SUFFIXES)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from exc
