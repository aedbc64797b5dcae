"""The labels of a section's tables, as the grid finds them: exactly or nearly.

`label_index` gathers every label variant of a section's tables (labels,
aliases, captions, remarks; a row label printed without its number, a note
without its brackets) in match form (whitespace removed, punctuation folded),
longest first, each with what it may be (`LabelRef`). The grid searches a
cell's match form for them (`grid._label_pieces`), so a label glued to
numbers (``…00000002.其他法律…``) or wrapped across a space (``商业 企业``) is
still found; a standalone text that starts labels is a truncated label
(`prefix_refs`: seed 001's ``本年新``).

Fuzzy labels (issue 17). A printed text that is no label (a PDF text layer
dropped characters, a typo, 本年度 for 本年) may be one by a bounded edit
distance (`fuzzy_match`). Tried only on text the exact search left over, and
only where it names one thing; every label read so, and every text close to
several, is said by a finding (`fuzzy_findings`).

A module of its own because what a printed text may name is one question,
with its own bounds and its own cache, whatever the layout of the cells the
grid cuts; the layout fuzzer asks it too (`testing.render`: `fuzzy_budget`,
`edit_distance`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Final, NamedTuple

from attrs import evolve, field, frozen

from govdisclosure.memo import by_identity
from govdisclosure.model import Finding, Severity
from govdisclosure.pipeline.tokens import LabelRef, LabelRole, Token, TokenKind
from govdisclosure.spec.model import LabelNode, Spec, TableSpec
from govdisclosure.typography import ENUMERATOR, PROSE_MARK, label_key, match_text

__all__ = [
    "FUZZY_CACHE",
    "FUZZY_MIN_LABEL",
    "FUZZY_MIN_TEXT",
    "FuzzyMatch",
    "FuzzyTarget",
    "LabelIndex",
    "edit_distance",
    "fuzzy_budget",
    "fuzzy_findings",
    "fuzzy_match",
    "label_index",
    "prefix_refs",
    "with_fuzzy_labels",
]


class FuzzyTarget(NamedTuple):
    """A spec label a printed text may be matched to by edit distance."""

    core: str  # the label in match form without its enumerator, ``,`` read as ``.``
    label: str  # as the spec writes it, for findings
    refs: tuple[LabelRef, ...]  # the label's refs, each marked with ``fuzzy=label``
    #: What the label names (table, role, key of each ref): a label and its
    #: aliases are one target, two labels naming different things are two.
    names: frozenset[tuple[str, LabelRole, str | None]]
    digits: str  # the digits of the label's enumerator (``2`` of ``2.``), or ""


class FuzzyMatch(NamedTuple):
    """What a printed text matches by edit distance: one label, none, or several."""

    refs: tuple[LabelRef, ...] = ()  # empty: no match
    label: str | None = None
    digits: str = ""
    #: The labels it is close to when there are several (then ``refs`` is empty).
    close: tuple[str, ...] = ()


@frozen
class LabelIndex:
    """The label variants of one section's tables in match form (`label_index`)."""

    pattern: re.Pattern[str] | None
    by_key: dict[str, tuple[LabelRef, ...]]
    keys: tuple[str, ...]
    #: Every proper prefix of a key: a cell whose text is none cannot start
    #: a label wrapped over several cells.
    prefixes: frozenset[str]
    #: Some key is all digits: then a bare number cell may hold a label.
    numeric_keys: bool
    #: The labels a text matching none may be matched to by edit distance
    #: (empty when the spec turns fuzzy matching off).
    targets: tuple[FuzzyTarget, ...] = ()
    #: `fuzzy_match` results by printed core; filled as texts are met.
    fuzzy_seen: dict[str, FuzzyMatch] = field(factory=dict, eq=False, repr=False)


def _nodes(table: TableSpec) -> Iterable[tuple[LabelNode, LabelRef]]:
    for leaf in table.row_leaves():
        yield leaf.node, LabelRef(table.id, LabelRole.ROW, leaf.key)
    for leaf in table.column_leaves():
        yield leaf.node, LabelRef(table.id, LabelRole.COLUMN, leaf.key)
    for group in (*table.row_groups(), *table.column_groups()):
        yield group, LabelRef(table.id, LabelRole.GROUP, group.key)


@by_identity(maxsize=64)
def label_index(spec: Spec, section_id: str) -> LabelIndex:
    """Every label variant of the section's tables, in match form, with its refs."""
    by_key: dict[str, list[LabelRef]] = {}
    cores: dict[str, list[LabelRef]] = {}

    def add(target: dict[str, list[LabelRef]], key: str, ref: LabelRef) -> None:
        if key and ref not in target.setdefault(key, []):
            target[key].append(ref)

    for table in spec.tables:
        if table.section != section_id:
            continue
        texts: list[tuple[str, LabelRef]] = [
            (t, LabelRef(table.id, LabelRole.LABEL)) for t in table.labels
        ] + [(t, LabelRef(table.id, LabelRole.REMARK)) for t in table.remarks]
        for node, ref in _nodes(table):
            texts += [(t, ref) for t in (node.label, *node.aliases) if t]
        for text, ref in texts:
            key = label_key(text)
            add(by_key, key, ref)
            if key.startswith("(") and key.endswith(")"):
                add(cores, key[1:-1], ref)  # a note cell printed without its brackets
            m = ENUMERATOR.match(key)
            if m and len(key) - m.end() >= 2:
                add(
                    cores, key[m.end() :], ref
                )  # a row label printed without its number
    # A core form is only used where it names one thing and is no full label.
    for key, refs in cores.items():
        if key not in by_key and len({(r.table, r.role, r.key) for r in refs}) == 1:
            by_key[key] = refs
    keys = tuple(sorted(by_key, key=len, reverse=True))
    pattern = re.compile("|".join(re.escape(k) for k in keys)) if keys else None
    prefixes = frozenset(k[:i] for k in keys for i in range(1, len(k)))
    numeric = any(k.isdigit() for k in keys)
    frozen_keys = {k: tuple(v) for k, v in by_key.items()}
    return LabelIndex(
        pattern,
        frozen_keys,
        keys,
        prefixes,
        numeric,
        _fuzzy_targets(spec, section_id, frozen_keys),
    )


def prefix_refs(key: str, index: LabelIndex) -> tuple[LabelRef, ...]:
    """What a truncated label may be, keeping only what is safe to act on.

    A header cut short (``本年新``) may stand for several columns: harmless,
    headers only close rows. But a prefix opens a row only when it names
    exactly one row and nothing else; ``行政`` (行政许可? 行政处罚?) must not
    hand the next numbers to whichever row happens to be free.
    """
    refs = tuple(
        dict.fromkeys(
            r for k in index.keys if k.startswith(key) for r in index.by_key[k]
        )
    )
    rows = {(r.table, r.key) for r in refs if r.role is LabelRole.ROW}
    if rows and (
        len(rows) > 1 or len(rows) < len({(r.table, r.role, r.key) for r in refs})
    ):
        refs = tuple(r for r in refs if r.role is not LabelRole.ROW)
    return refs


#: A label shorter than this (without its enumerator) is never matched
#: fuzzily: one changed character of 规章 or 总计 makes another word.
FUZZY_MIN_LABEL = 4
#: A printed text shorter than this is never matched fuzzily.
FUZZY_MIN_TEXT = 4
#: How many printed texts a section's index remembers the match of.
FUZZY_CACHE = 4096

#: A run of the match form without ASCII digits: where a label may be.
_FUZZY_RUN = re.compile(r"\D{3,}")
#: What opens a run before the label's words: a Han enumerator (``一.``, ``(二)``)
#: or what is left of a digit enumerator (the ``.`` of ``2.``, ``)`` of ``(1)``).
_RUN_LEAD = re.compile(
    r"^(?:[一二三四五六七八九十]+[.,]|\([一二三四五六七八九十]+\)|[.,)]+)"
)
_DIGITS_BEFORE = re.compile(r"\(?\d{1,2}$")
_KEY_DIGITS = re.compile(r"^\(?(\d{1,2})[.)]")


def fuzzy_budget(label_core: str) -> int:
    """How many edits a printed text may be from a label: one per four characters.

    ``其他法律行政止公开`` is three characters short of the twelve of
    ``其他法律行政法规禁止公开``; a four-character label (结果维持) allows one.
    """
    return max(1, len(label_core) // 4)


def _fuzzy_core(key: str) -> str:
    """A label's or a text's match form without its enumerator, ``,`` read as ``.``
    (a text layer prints ``, `` for ``、``)."""
    m = ENUMERATOR.match(key)
    return (key[m.end() :] if m else key).replace(",", ".")


def _fuzzy_targets(
    spec: Spec, section_id: str, by_key: dict[str, tuple[LabelRef, ...]]
) -> tuple[FuzzyTarget, ...]:
    """The section's labels a text may match fuzzily, with the refs it then gets.

    Every spec text (captions, remarks, labels, aliases) is a target unless the
    spec turns fuzzy matching off (``fuzzy_labels: false``) or the label's node
    does (``fuzzy: false``), or its core is shorter than `FUZZY_MIN_LABEL`.
    """
    if not spec.fuzzy_labels:
        return ()
    texts: dict[str, str] = {}
    refused: set[str] = set()
    for table in spec.tables:
        if table.section != section_id:
            continue
        for text in (*table.labels, *table.remarks):
            texts.setdefault(label_key(text), text)
        for node, _ in _nodes(table):
            for written in (node.label, *node.aliases):
                if written:
                    texts.setdefault(label_key(written), written)
                    if not node.fuzzy:
                        refused.add(label_key(written))
    targets = []
    for key, text in texts.items():
        core = _fuzzy_core(key)
        if key in refused or key not in by_key or len(core) < FUZZY_MIN_LABEL:
            continue
        refs = tuple(evolve(r, fuzzy=text) for r in by_key[key])
        names = frozenset((r.table, r.role, r.key) for r in refs)
        digits = _KEY_DIGITS.match(key)
        targets.append(
            FuzzyTarget(core, text, refs, names, digits.group(1) if digits else "")
        )
    return tuple(targets)


def fuzzy_match(core: str, index: LabelIndex) -> FuzzyMatch:
    """The one label a printed core is close to, or none (remembered per index).

    Close means within `fuzzy_budget` edits of the label's core. A text close
    to labels that name different things matches none of them: the text does
    not say which it is, and a guess would put its numbers in a wrong row.
    """
    if len(core) < FUZZY_MIN_TEXT:
        return _NO_MATCH
    hit = index.fuzzy_seen.get(core)
    if hit is None:
        if len(index.fuzzy_seen) >= FUZZY_CACHE:
            index.fuzzy_seen.clear()
        hit = index.fuzzy_seen[core] = _nearest(core.replace(",", "."), index.targets)
    return hit


def _nearest(core: str, targets: tuple[FuzzyTarget, ...]) -> FuzzyMatch:
    best: dict[frozenset[tuple[str, LabelRole, str | None]], tuple[int, FuzzyTarget]]
    best = {}
    for target in targets:
        budget = fuzzy_budget(target.core)
        if abs(len(target.core) - len(core)) > budget:
            continue
        d = edit_distance(core, target.core, budget)
        if d is not None and (target.names not in best or d < best[target.names][0]):
            best[target.names] = (d, target)
    if len(best) == 1:
        ((_, target),) = best.values()
        return FuzzyMatch(target.refs, target.label, target.digits)
    if best:
        return FuzzyMatch(close=tuple(sorted(t.label for _, t in best.values())))
    return _NO_MATCH


_NO_MATCH: Final = FuzzyMatch()


def edit_distance(a: str, b: str, limit: int) -> int | None:
    """The Levenshtein distance of ``a`` and ``b`` if at most ``limit``, else None.

    Row by row, stopping as soon as every entry of a row exceeds the limit:
    most texts are far from most labels and stop within a few rows.
    """
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            )
        if min(current) > limit:
            return None
        previous = current
    return previous[-1] if previous[-1] <= limit else None


def with_fuzzy_labels(
    key: str,
    pos: Sequence[int],
    labels: list[tuple[int, int, tuple[LabelRef, ...]]],
    index: LabelIndex,
) -> list[tuple[int, int, tuple[LabelRef, ...]]]:
    """The exact labels of a cell's match form, with fuzzy ones where text is left.

    Two places: a run of words holding exact labels and other text may be one
    misprinted longer label (``其他法律行政止公开`` holds the column label
    其他), see `_run_replacements`; and a gap between labels may hold one.
    """
    labels = _run_replacements(key, labels, index)
    out: list[tuple[int, int, tuple[LabelRef, ...]]] = []
    cursor = 0
    for piece in (*labels, (len(key), len(key), ())):
        if piece[0] - cursor >= FUZZY_MIN_TEXT:
            out += _gap_labels(key, pos, cursor, piece[0], index)
        if piece[1] > piece[0]:
            out.append(piece)
        cursor = max(cursor, piece[1])
    return out


def _run_replacements(
    key: str, labels: list[tuple[int, int, tuple[LabelRef, ...]]], index: LabelIndex
) -> list[tuple[int, int, tuple[LabelRef, ...]]]:
    """Exact labels inside a run of words replaced by the one longer label the run
    nearly is, when the exact ones leave text over and name something else.

    A run the exact labels cover is left alone, and so is one whose near label
    names what an exact label in it names (``本年收费金额(万元)``: the label and
    its unit note).
    """
    if not labels:
        return labels
    for m in _FUZZY_RUN.finditer(key):
        lead = _RUN_LEAD.match(m.group())
        a, b = m.start() + (lead.end() if lead else 0), m.end()
        inside = [lab for lab in labels if lab[0] < b and lab[1] > a]
        covered = sum(min(b, e) - max(a, s) for s, e, _ in inside)
        if not inside or covered >= b - a or b - a < FUZZY_MIN_TEXT:
            continue
        if any(s < m.start() for s, _, _ in inside):
            continue  # a label reaching in from before the run: not this run's
        match = fuzzy_match(key[a:b], index)
        named = {(r.table, r.role, r.key) for _, _, refs in inside for r in refs}
        if not match.refs or any((r.table, r.role, r.key) in named for r in match.refs):
            continue
        if len(_fuzzy_core(label_key(match.label or ""))) <= max(
            e - s for s, e, _ in inside
        ):
            continue
        start = _label_start(key, 0, m.start(), match)
        labels = sorted(
            [lab for lab in labels if lab not in inside] + [(start, b, match.refs)]
        )
    return labels


def _gap_labels(
    key: str, pos: Sequence[int], a: int, b: int, index: LabelIndex
) -> list[tuple[int, int, tuple[LabelRef, ...]]]:
    """Labels matched fuzzily in ``key[a:b]``, a gap the exact search left.

    A run of words is tried whole, then, when the display text spaces it
    (columns aligned by spaces: ``社会公组织    法律服机构``), as the longest
    runs of its space-separated words that match, left to right.
    """
    found = []
    for m in _FUZZY_RUN.finditer(key, a, b):
        words = [m.start()] + [
            i for i in range(m.start() + 1, m.end()) if pos[i] - pos[i - 1] > 1
        ]
        words.append(m.end())
        i, n = 0, len(words) - 1
        while i < n:
            for j in range(n if n <= _MAX_WORDS else i + 1, i, -1):
                hit = _run_label(key, words[i], words[j], a, index)
                if hit is not None:
                    found.append(hit)
                    i = j
                    break
            else:
                i += 1
    return found


#: A run of more space-separated words than this is tried word by word only.
_MAX_WORDS = 12


def _run_label(
    key: str, start: int, end: int, a: int, index: LabelIndex
) -> tuple[int, int, tuple[LabelRef, ...]] | None:
    """The fuzzy label ``key[start:end]`` is, if any (``a``: where its gap starts).

    A run that starts a label (``本年新``) is left to the truncated-label rule
    (`prefix_refs`), which needs no finding.
    """
    run = key[start:end]
    lead = _RUN_LEAD.match(run)
    core = run[lead.end() :] if lead else run
    if core in index.prefixes or run in index.prefixes:
        return None
    match = fuzzy_match(core, index)
    if not match.refs:
        return None
    return _label_start(key, a, start, match), end, match.refs


def _label_start(key: str, a: int, run: int, match: FuzzyMatch) -> int:
    """Where a fuzzy label starts: with the digits of its enumerator (``2.``).

    Digits opening the gap are the label's own (a cell ``3.其他法律…``); after
    other digits (``00000002.其他…`` on a collapsed line) only the label's own
    enumerator digits are, the rest being the previous row's values.
    """
    if key[run] not in ".,)":
        return run
    digits = _DIGITS_BEFORE.search(key, a, run)
    if digits is None:
        return run
    if digits.start() == a:
        return a
    if match.digits and key[a:run].endswith(match.digits):
        return run - len(match.digits)
    return run


def fuzzy_findings(
    tokens: Sequence[Token], index: LabelIndex, spec: Spec
) -> tuple[Finding, ...]:
    """A finding per label read through a fuzzy match, and per text close to several.

    ``label.fuzzy`` names the text printed and the label it was read as, so a
    cell found through it is never silently found; ``label.ambiguous`` names
    the labels a text is close to, none of which it was read as.
    """
    if not index.targets:
        return ()
    findings = []
    for tok in tokens:
        if tok.kind is TokenKind.LABEL:
            label = next((r.fuzzy for r in tok.refs if r.fuzzy), None)
            if label is not None:
                findings.append(
                    Finding(
                        "label.fuzzy",
                        Severity.WARNING,
                        f"{tok.text!r} on line {tok.line} is no label of the spec; "
                        f"it is read as the label {label!r}, which it nearly matches",
                        spec=spec.ref,
                        cells=_label_cells(tok.refs, spec),
                        span=tok.span,
                    )
                )
        elif tok.kind is TokenKind.TEXT and PROSE_MARK not in tok.text:
            close = _close_labels(tok.text, index)
            if close:
                findings.append(
                    Finding(
                        "label.ambiguous",
                        Severity.WARNING,
                        f"{tok.text!r} on line {tok.line} is no label of the spec and "
                        f"nearly matches several: {', '.join(close)}; it is read as none",
                        spec=spec.ref,
                        span=tok.span,
                    )
                )
    return tuple(findings)


def _close_labels(text: str, index: LabelIndex) -> tuple[str, ...]:
    """The labels a text cell is close to when it is close to several."""
    key = match_text(text)
    for m in _FUZZY_RUN.finditer(key):
        lead = _RUN_LEAD.match(m.group())
        core = key[m.start() + (lead.end() if lead else 0) : m.end()]
        if len(core) >= FUZZY_MIN_TEXT and core not in index.prefixes:
            close = fuzzy_match(core, index).close
            if close:
                return close
    return ()


def _label_cells(refs: tuple[LabelRef, ...], spec: Spec) -> tuple[str, ...]:
    """The cells a row or column label names (a group's or a caption's: none)."""
    cells: list[str] = []
    for ref in refs:
        if ref.key is None or ref.role not in (LabelRole.ROW, LabelRole.COLUMN):
            continue
        table = spec.table(ref.table)
        if ref.role is LabelRole.ROW:
            cells += [f"{table.id}.{ref.key}.{c.key}" for c in table.column_leaves()]
        else:
            cells += [f"{table.id}.{r.key}.{ref.key}" for r in table.row_leaves()]
    return tuple(cells)
