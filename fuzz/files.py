"""Mutated files of each suffix `load_file` reads: encodings, bytes, zips, PDFs."""

from __future__ import annotations

import contextlib
import io
import random
import re
import zipfile

from fuzz import seeds
from fuzz.mutate import CHARSETS, ENCODINGS, mutate_text
from govdisclosure.pipeline.read import READABLE_SUFFIXES

#: Every suffix `load_file` reads.
SUFFIXES: tuple[str, ...] = READABLE_SUFFIXES


def byte_flips(rng: random.Random, data: bytes) -> bytes:
    """Bytes flipped, inserted, deleted, or the file cut short."""
    buf = bytearray(data or b"\0")
    for _ in range(rng.randint(1, 10)):
        if not buf:
            break
        i = rng.randrange(len(buf))
        kind = rng.randrange(4)
        if kind == 0:
            buf[i] ^= 1 << rng.randrange(8)
        elif kind == 1:
            buf[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif kind == 2:
            del buf[i : i + rng.randint(1, 64)]
        else:
            buf[i] = rng.choice(b"\x00\xff\x80<>&/()[]{}0")
    if buf and rng.random() < 0.1:
        del buf[rng.randrange(len(buf)) :]
    return bytes(buf)


def encoded(rng: random.Random, text: str) -> bytes:
    """Text as bytes in a Chinese or Unicode encoding, lossy where it must be."""
    return text.encode(rng.choice(ENCODINGS), errors=rng.choice(("replace", "ignore")))


def declared(rng: random.Random, page: str) -> str:
    """A page declaring a charset, often not its own, sometimes not a charset."""
    charset = rng.choice(CHARSETS)
    meta = rng.choice(
        (f'<meta charset="{charset}">', f'<?xml version="1.0" encoding="{charset}"?>')
    )
    return meta + page if rng.random() < 0.5 else page.replace("<head>", meta, 1)


def text_file(rng: random.Random, suffix: str) -> bytes:
    """A .txt or web page: a mutated report or page, encoded, bytes damaged."""
    if suffix == ".txt" or rng.random() < 0.3:
        text = mutate_text(rng)
    else:
        page = rng.choice(seeds.pages())
        text = mutate_text(rng, page) if rng.random() < 0.7 else page
    if suffix != ".txt" or rng.random() < 0.2:
        text = declared(rng, text)
    data = encoded(rng, text) if rng.random() < 0.5 else text.encode("utf-8", "replace")
    return byte_flips(rng, data) if rng.random() < 0.3 else data


def docx_file(rng: random.Random) -> bytes:
    """A .docx: its XML mutated as text inside a valid zip, or its bytes damaged."""
    seed = rng.choice(seeds.files(".docx"))
    if rng.random() < 0.2:
        return byte_flips(rng, seed)
    with zipfile.ZipFile(io.BytesIO(seed)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    name = "word/document.xml" if rng.random() < 0.8 else rng.choice(list(members))
    xml = members[name].decode("utf-8", "replace")
    if rng.random() < 0.3:  # merges with odd spans
        xml = xml.replace('w:val="2"', f'w:val="{rng.choice((0, -1, 10**6, 9999))}"')
    members[name] = mutate_text(rng, xml).encode("utf-8", "replace")
    return seeds.zipped(members)


def pdf_file(rng: random.Random) -> bytes:
    """A .pdf: a mutated page printed, or a seed PDF's bytes damaged."""
    if rng.random() < 0.4:
        page = mutate_text(rng, rng.choice(seeds.pages()))
        # the printer (tests/inputs/documents.py) places every spanned cell:
        # spans the library must bound are the html target's, not the printer's
        page = re.sub(r'span="[^"]*"', 'span="2"', page)
        with contextlib.suppress(Exception):  # reportlab refusing markup: not ours
            return seeds.page_to_file(page, ".pdf")
    return byte_flips(rng, rng.choice(seeds.files(".pdf")))


def mutate_file(rng: random.Random, suffix: str | None = None) -> tuple[str, bytes]:
    """A suffix (drawn unless given) and a mutated file of that kind."""
    suffix = suffix or rng.choice(SUFFIXES)
    if suffix == ".pdf":
        return suffix, pdf_file(rng)
    if suffix == ".docx":
        return suffix, docx_file(rng)
    return suffix, text_file(rng, suffix)
