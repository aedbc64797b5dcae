"""Report markup a saved page keeps in its scripts and templates, found without running them.

A CMS may keep the report's markup in a script (``let content = "<p>…<table>…"``,
a JSON blob, ``JSON.parse('…')``, a ``text/template`` script) or a
``<template>``. Whether a string is report markup is decided by its content
tags and the text between them, never by words of a format; strings are found
by a scanner that knows only literals and comments and decoded by JSON's or
JavaScript's escape rules, never evaluated; the work is bounded
(`MAX_SCRIPT_CHARS`, `MAX_FRAGMENTS`, kept by a `Budget`) and a malformed
string is skipped. `html` reads what is found where the script stands.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from typing import Any

__all__ = [
    "MAX_FRAGMENTS",
    "MAX_SCRIPT_CHARS",
    "MIN_MARKUP_TAGS",
    "MIN_MARKUP_TEXT",
    "Budget",
    "script_markups",
    "template_markups",
]


#: Script text scanned per page, and fragments of markup read per page, at most.
MAX_SCRIPT_CHARS = 8_000_000
MAX_FRAGMENTS = 64
#: A string holds report markup when it has this many content tags and this
#: much text outside them: decided by markup and size, in any language.
MIN_MARKUP_TAGS = 3
MIN_MARKUP_TEXT = 100

_CONTENT_TAG = re.compile(r"<(?:p|table|tr|td|th|br|div|li|h[1-6])\b", re.I)
_ANY_TAG = re.compile(r"<[^<>]*>")
#: Script types whose text is JavaScript or JSON (others hold markup: templates).
_CODE_TYPES = frozenset({"", "module", "importmap", "text/jscript"})
_CODE_WORDS = ("javascript", "ecmascript", "json", "babel", "jsx", "typescript")
_LITERAL_START = re.compile(r"[\"'`]|/[/*]")
# a string's body up to where it stops: its closing quote, or a line break
# (an unterminated string). Alternatives are disjoint: linear, no backtracking.
_LITERAL_RUN = {
    '"': re.compile(r'(?:[^"\\\n\r]|\\(?:\r\n|[\s\S]))*'),
    "'": re.compile(r"(?:[^'\\\n\r]|\\(?:\r\n|[\s\S]))*"),
    "`": re.compile(r"(?:[^`\\]|\\[\s\S])*"),
}
_CONCATENATION = re.compile(r"\s*\+\s*")
_JS_ESCAPE = re.compile(
    r"\\(u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}"
    r"|[0-3][0-7]{0,2}|[4-7][0-7]?|\r\n|[\s\S])"
)
_JS_SIMPLE = {
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "\n": "",  # a line continuation
    "\r": "",
    "\r\n": "",
    "\u2028": "",
    "\u2029": "",
}
_SURROGATE = re.compile("[\ud800-\udfff]")


class Budget:
    """Bounds the work spent on scripts, so a page of megabytes of them stays fast."""

    def __init__(self) -> None:
        self.chars = MAX_SCRIPT_CHARS
        self.fragments = MAX_FRAGMENTS

    def take(self, chars: int) -> bool:
        """Whether ``chars`` more characters of script may be scanned (and takes them)."""
        if chars > self.chars:
            self.chars = 0
            return False
        self.chars -= chars
        return True


def script_markups(script: Any, budget: Budget) -> Iterator[str]:
    """The report markup a <script> holds: in its string literals, or as a template.

    Never evaluated: string literals are found by a scanner that knows only
    strings and comments, and decoded by the language's escape rules.
    """
    source = script.text or ""
    if len(source) < MIN_MARKUP_TEXT or not budget.take(len(source)):
        return
    kind = (script.get("type") or "").split(";")[0].strip().lower()
    if kind in _CODE_TYPES or any(word in kind for word in _CODE_WORDS):
        yield from _string_markups(source, nested=False)
    elif _holds_markup(source):  # text/template, text/html, x-handlebars…
        yield source


def template_markups(template: Any) -> Iterator[str]:
    """A <template>'s content, which lxml parses as children, as markup."""
    from lxml import etree

    markup = (template.text or "") + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in template
    )
    if _holds_markup(markup):
        yield markup


def _string_markups(source: str, *, nested: bool) -> Iterator[str]:
    """Each string (literals joined by ``+``) in ``source`` that holds report markup.

    A string that is itself JSON (``JSON.parse('{"content": "<p>…"}')``) is
    searched once more; a malformed string is skipped.
    """
    for pieces in _concatenations(source):
        if sum(len(body) for _, body in pieces) < MIN_MARKUP_TEXT:
            continue
        try:
            value = "".join(_decoded_literal(quote, body) for quote, body in pieces)
        except ValueError:
            continue
        if not nested and value.lstrip()[:1] in ("{", "["):
            yield from _string_markups(value, nested=True)
            continue
        if "<" not in value and "&lt;" in value:  # markup saved entity-escaped
            import html as html_entities

            value = html_entities.unescape(value)
        if _holds_markup(value):
            yield value


def _holds_markup(value: str) -> bool:
    """Report markup: a few content tags (<p, <table, <td…) and real text between them."""
    if len(_CONTENT_TAG.findall(value)) < MIN_MARKUP_TAGS:
        return False
    text = _ANY_TAG.sub("", value)
    return len("".join(text.split())) >= MIN_MARKUP_TEXT


def _concatenations(source: str) -> Iterator[list[tuple[str, str]]]:
    """String literals, those joined by ``+`` as one: ``[(quote, raw body), …]``."""
    group: list[tuple[str, str]] = []
    end = 0
    for start, stop, quote, body in _literals(source):
        if not (group and _CONCATENATION.fullmatch(source, end, start)):
            if group:
                yield group
            group = []
        group.append((quote, body))
        end = stop
    if group:
        yield group


def _literals(source: str) -> Iterator[tuple[int, int, str, str]]:
    """Each string literal of JavaScript or JSON: start, end, quote, raw body.

    Comments are passed over; an unterminated string ends at its line (the
    rest of the line is skipped), a template literal with ``${`` is skipped.
    Every character is looked at once, so the time is linear in the script.
    A regular expression literal holding a quote may pair quotes wrongly:
    the strings found then fail the markup test or decode as errors.
    """
    pos = 0
    while found := _LITERAL_START.search(source, pos):
        mark, start = found.group(), found.end()
        if mark in ("//", "/*"):
            close = "\n" if mark == "//" else "*/"
            end = source.find(close, start)
            pos = len(source) if end < 0 else end + len(close)
            continue
        run = _LITERAL_RUN[mark].match(source, start)
        body = run.group() if run else ""  # the pattern matches the empty string
        pos = start + len(body) + 1
        if source.startswith(mark, start + len(body)) and not (
            mark == "`" and "${" in body
        ):
            yield found.start(), pos, mark, body


def _decoded_literal(quote: str, body: str) -> str:
    """A literal's value: JSON rules for a double-quoted one, JavaScript rules else.

    A double-quoted string JSON refuses (``\\'``, ``\\x3c``, a line
    continuation) is valid JavaScript and read by its rules, which agree
    with JSON wherever JSON has a rule.

    Raises:
        ValueError: a malformed escape, or a lone surrogate.
    """
    value: str | None = None
    if quote == '"':
        with contextlib.suppress(ValueError):
            value = json.loads(f'"{body}"')
    if value is None:
        value = _JS_ESCAPE.sub(_js_escape, body)
    if _SURROGATE.search(value):  # \ud83d\ude00 pairs; a lone one raises
        try:
            value = value.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            raise ValueError("a lone surrogate") from None
    return value


def _js_escape(match: re.Match[str]) -> str:
    escape = match.group(1)
    if escape in _JS_SIMPLE:
        return _JS_SIMPLE[escape]
    if escape[0] == "u" and len(escape) > 1:
        code = int(escape[2:-1] if escape[1] == "{" else escape[1:], 16)
        if code > 0x10FFFF:
            raise ValueError(f"no such code point: \\{escape}")
        return chr(code)
    if escape[0] == "x" and len(escape) == 3:
        return chr(int(escape[1:], 16))
    if escape in ("u", "x"):
        raise ValueError(f"malformed escape: \\{escape}")
    if escape[0] in "01234567":
        return chr(int(escape, 8))  # legacy octal (\0 is NUL)
    return escape  # \' \" \\ \/ and any other character stand for themselves
