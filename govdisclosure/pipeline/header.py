"""A table's header → the order its columns are printed in.

Strategy. The spec lists a table's columns in the form's order, and a row's
numbers are read in that order. A report may print sibling columns in another
order (科研机构 before 商业企业, 总计 first); its header then says so, and a
header is evidence: the columns are read by their labels.

1. The header is the run of the table's column and group labels just before
   its first row (or, for a table whose one row has no label, before its
   numbers), and every such run between its rows (a header repeated by a
   table split over pages). Empty cells and the table's fixed texts
   (申请人情况) inside the run are skipped; a group label repeated next to
   itself (a merged cell a converter copied) may count once.
2. A run is parsed as the form's header printed level by level (an official
   form's merged header, read row by row: 自然人 | 法人或其他组织 | 总计, then
   商业企业 … 其他), or as one line of the leaves. Each group's children are
   matched to the labels by text, so a permutation is found at every level
   (the leaves of a group, and the groups themselves: 行政诉讼's two).
3. Every parse agrees → that order (`ColumnOrder.order`, with a
   ``header.reordered`` finding when it is not the form's). No run parses but
   each is a part of the form's own header in the form's order → the form's
   order, as without a header. Anything else (labels out of the form's order
   that no permutation explains, two headers that disagree) → the order is in
   doubt: the table's cells are not placed by position (`ColumnOrder.doubt`,
   a ``header.contradicts`` finding), never guessed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from typing import Final

from attrs import field, frozen

from govdisclosure.memo import by_identity
from govdisclosure.model import Finding, Severity
from govdisclosure.pipeline.grid import LabelRole, Token, TokenKind
from govdisclosure.spec.model import LabelNode, TableSpec
from govdisclosure.typography import label_key

__all__ = ["ColumnOrder", "column_order"]

#: A node of the column tree by its path of child indices from the roots.
_Path = tuple[int, ...]
#: Each group's children in printed order (``()``: the roots).
_Printed = dict[_Path, tuple[_Path, ...]]
#: A parsed header: the spec's index of each printed column, and its tree.
_Parsed = tuple[tuple[int, ...], _Printed] | None
#: The most headers remembered per table (a batch prints few distinct ones).
_MEMO: Final = 256


@frozen
class ColumnOrder:
    """How a table's header prints its columns.

    ``order[i]`` is the spec's index of the column printed ``i``-th; None is
    the form's own order. ``doubt`` is why the header leaves the columns'
    places in doubt (then ``order`` is None and no cell is placed by position).
    """

    order: tuple[int, ...] | None = None
    doubt: str | None = None
    findings: tuple[Finding, ...] = ()


@frozen
class _Tree:
    """A table's column tree, as the header parser needs it."""

    #: The match forms each node's label and aliases take.
    keys: dict[_Path, frozenset[str]]
    #: Each node's children's paths ((): the roots).
    children: dict[_Path, tuple[_Path, ...]]
    #: The paths of the spec's leaf columns, in the spec's order.
    leaves: tuple[_Path, ...]
    #: Every key of a column or group label: what a header token may be.
    header_keys: frozenset[str]
    #: The table's fixed texts (captions, 申请人情况), skipped inside a header.
    fixed: frozenset[str]
    #: The table's id: a header label refers to a column or group of it.
    table: str
    #: Each leaf's index in ``leaves`` (`_leaf_order` reads it for every header).
    index: dict[_Path, int]
    #: Headers already parsed, by their labels: most reports print the form's.
    parsed: dict[tuple[tuple[str, int], ...], _Parsed] = field(factory=dict)
    #: Whether a run of labels fits a printed order, by (labels, leaf order).
    fitted: dict[tuple[tuple[tuple[str, int], ...], tuple[int, ...]], bool] = field(
        factory=dict
    )


@by_identity(maxsize=64)
def _tree(table: TableSpec) -> _Tree:
    keys: dict[_Path, frozenset[str]] = {}
    children: dict[_Path, tuple[_Path, ...]] = {}
    leaves: list[_Path] = []

    def walk(nodes: tuple[LabelNode, ...], path: _Path) -> None:
        children[path] = tuple((*path, i) for i in range(len(nodes)))
        for i, node in enumerate(nodes):
            here = (*path, i)
            texts = (node.label, *node.aliases) if node.label else ()
            keys[here] = frozenset(label_key(t) for t in texts)
            if node.children:
                walk(node.children, here)
            elif node.key is not None:
                leaves.append(here)

    walk(table.columns, ())
    header = frozenset(k for ks in keys.values() for k in ks)
    fixed = frozenset(label_key(t) for t in table.labels) - header
    index = {p: i for i, p in enumerate(leaves)}
    return _Tree(keys, children, tuple(leaves), header, fixed, table.id, index)


def column_order(
    table: TableSpec, tokens: Sequence[Token], anchor: int, end: int
) -> ColumnOrder:
    """The printed order of ``table``'s columns, from its header in ``tokens``.

    ``anchor`` is the index of the table's first row token (its label, or the
    first token after the header label that opened a row without a label),
    ``end`` that of its last token: the header is read just before the anchor,
    and repeated headers up to the end.
    """
    tree = _tree(table)
    if len(tree.leaves) < 2:
        return ColumnOrder()
    runs = _runs(tree, tokens, anchor, end)
    if not runs:
        return ColumnOrder()
    parsed = [_parse(tree, run) for run in runs]
    found = {p[0]: p[1] for p in parsed if p is not None}
    if len(found) == 1:
        ((order, printed),) = found.items()
        if all(_fits(tree, run, printed) for run in runs):
            if order == tuple(range(len(tree.leaves))):
                return ColumnOrder()
            return ColumnOrder(order, None, (_reordered(table, runs[0], order),))
    elif not found and all(_fits(tree, run, tree.children) for run in runs):
        return ColumnOrder()  # parts of the form's own header: nothing says otherwise
    labels = " | ".join(t.text for run in runs for _, t in run)
    doubt = (
        f"the header of {table.name} ({labels}) prints its columns in an order "
        "no order of the form's columns explains; no value is placed by its position"
    )
    finding = Finding(
        "header.contradicts", Severity.WARNING, doubt, span=runs[0][0][1].span
    )
    return ColumnOrder(None, doubt, (finding,))


#: A header run: each label's match form and its token.
_Run = list[tuple[str, Token]]


def _runs(tree: _Tree, tokens: Sequence[Token], anchor: int, end: int) -> list[_Run]:
    """The header before the anchor, and every run of header labels up to ``end``.

    Only runs of at least two labels: one label orders nothing.
    """
    words = _worded_cells(tokens[: end + 1])
    start = anchor
    while start > 0 and _header_part(tree, tokens[start - 1], words) is not None:
        start -= 1
    runs: list[_Run] = []
    run: _Run = []
    for token in tokens[start : end + 1]:
        # most of a table's tokens are its numbers, which end a run: told
        # here, without a call per number
        part = None if token.kind is _VALUE else _header_part(tree, token, words)
        if part is None:
            if len(run) >= 2:
                runs.append(run)
            if run:  # not a new list per number
                run = []
        elif part:
            run.append((part, token))
    if len(run) >= 2:
        runs.append(run)
    return runs


def _worded_cells(tokens: Sequence[Token]) -> set[int]:
    """The cells holding several labels and other words: a heading or a sentence
    that names columns (``第四部分 政府信息公开行政复议、行政诉讼情况``), no header.

    A header cell holds one label and perhaps its note (``采购总金额(单位:万元)``),
    or, on a collapsed line, labels alone.
    """
    attached = {t.cell for t in tokens if t.kind is TokenKind.LABEL and t.attached}
    if not attached:  # most tables: no label has words beside it
        return attached
    labels = Counter(t.cell for t in tokens if t.kind is TokenKind.LABEL)
    return {cell for cell in attached if labels[cell] > 1}


def _header_part(tree: _Tree, token: Token, worded: set[int]) -> str | None:
    """A column or group label's match form; ``""`` for what a header may hold
    besides (empty cells, the table's fixed texts); None for anything else."""
    if token.kind is TokenKind.EMPTY:
        return ""
    if token.kind is not TokenKind.LABEL or token.cell in worded:
        return None
    if not any(r.table == tree.table and r.role in _HEADER for r in token.refs):
        # most labels, the rows' (checked first: the header is read over the
        # whole table, and a label's match form costs a fold per character)
        return "" if all(r.role is LabelRole.LABEL for r in token.refs) else None
    key = _key(token.text)
    if token.attached and key not in _leaf_keys(tree):
        # a group label with words beside it is in a heading or a sentence
        # (``行政诉讼情况``: a heading cut in two); a column's may be its unit note
        return None
    if key in tree.header_keys:
        return key
    return "" if key in tree.fixed else None


_VALUE: Final = TokenKind.VALUE
#: The roles a header label may have: a column, or a group (of columns or rows).
_HEADER: Final = (LabelRole.COLUMN, LabelRole.GROUP)


@lru_cache(maxsize=4096)
def _key(text: str) -> str:
    return label_key(text)


def _labels(run: _Run) -> tuple[tuple[str, int], ...]:
    """A run's labels with their lines counted from its first: what a parse
    depends on, the same wherever the header stands in a report."""
    first = run[0][1].line
    return tuple((k, t.line - first) for k, t in run)


def _parse(tree: _Tree, run: _Run) -> _Parsed:
    """The order a complete header prints: level by level, else its leaves alone;
    as printed, else with a group label repeated next to itself counted once."""
    labels = _labels(run)
    if labels not in tree.parsed:
        if len(tree.parsed) >= _MEMO:
            tree.parsed.clear()
        tree.parsed[labels] = _parsed(tree, run)
    return tree.parsed[labels]


def _parsed(tree: _Tree, run: _Run) -> _Parsed:
    for keys, lines in _readings(tree, run):
        printed = _by_levels(tree, keys, lines)
        split = _split(tree, keys)
        if printed is None and split is not None:
            printed = _by_leaves(tree, split[1])
            if printed is not None and not _within(split[0], _levels(tree, printed)):
                printed = None
        if printed is not None:
            return _leaf_order(tree, printed), printed
    return None


def _split(tree: _Tree, keys: list[str]) -> tuple[list[str], list[str]] | None:
    """A header of group lines above one line of every leaf: (groups, leaves).

    None when a group label stands among the leaves (then the header is
    printed level by level, and only `_by_levels` reads it): the leaves'
    repeated labels (四's 结果维持 ×3) must not be read apart from their groups.
    """
    leaf_keys = _leaf_keys(tree)
    cut = next((i for i, k in enumerate(keys) if k in leaf_keys), len(keys))
    if any(k not in leaf_keys for k in keys[cut:]):
        return None
    return keys[:cut], keys[cut:]


def _readings(tree: _Tree, run: _Run) -> list[tuple[list[str], list[int]]]:
    """A run's labels with each one's line, and the same with a group label
    repeated next to itself once (a merged cell a converter copied into every
    column it spans; a leaf spans one column, so 总计 | 总计 are two groups'
    last and first leaves)."""
    keys = [k for k, _ in run]
    lines = [t.line for _, t in run]
    leaf_keys = _leaf_keys(tree)
    kept = [
        i for i, k in enumerate(keys) if i == 0 or keys[i - 1] != k or k in leaf_keys
    ]
    if len(kept) == len(keys):
        return [(keys, lines)]
    return [(keys, lines), ([keys[i] for i in kept], [lines[i] for i in kept])]


def _by_levels(tree: _Tree, keys: list[str], lines: list[int]) -> _Printed | None:
    """Each group's children matched, level by level, to the next labels.

    A merged header printed row by row gives, at each level, the children of
    every group of the level above, group after group in their printed order.
    Only labels on one line are in a printed order: siblings spread over lines
    (a PDF's merged cells aligned at their middle put 法人或其他组织 on a line
    above 自然人 and 总计) say nothing of their order across lines (`_siblings`).
    """
    printed: _Printed = {}
    level: list[_Path] = [()]
    pos = 0
    # one label a line: a header printed cell by cell, its lines in reading order
    cellwise = len(set(lines)) == len(lines)
    while level:
        below: list[_Path] = []
        for parent in level:
            kids = tree.children[parent]
            labelled = [k for k in kids if tree.keys[k]]
            if not labelled:  # an unlabelled level prints nothing: its order stays
                printed[parent] = kids
            elif len(labelled) < len(kids):
                return None
            else:
                taken = _matched(tree, kids, keys[pos : pos + len(kids)])
                if not cellwise:
                    taken = _siblings(kids, taken, lines[pos : pos + len(kids)])
                if taken is None:
                    return None
                printed[parent] = taken
                pos += len(kids)
            below += [k for k in printed[parent] if k in tree.children]
        level = below
    return printed if pos == len(keys) else None


def _siblings(
    kids: tuple[_Path, ...], taken: tuple[_Path, ...] | None, lines: list[int]
) -> tuple[_Path, ...] | None:
    """A group's children in printed order, where their lines tell it.

    Labels on one line are in printed order, and so are labels printed one a
    line (a header printed cell by cell). Over lines of several labels each
    (rows of a header whose merged cells a PDF aligned at their middle), only
    each line's own order is evidence: when every line keeps the form's order, the
    form's order stands (nothing shows another); when one does not, the
    header is not read level by level (None).
    """
    if taken is None or taken == kids or len(set(lines)) == 1:
        return taken
    rank = {kid: i for i, kid in enumerate(kids)}
    for line in set(lines):
        on_line = [rank[k] for k, at in zip(taken, lines, strict=True) if at == line]
        if on_line != sorted(on_line):
            return None
    return kids


def _by_leaves(tree: _Tree, keys: list[str]) -> _Printed | None:
    """One line of leaf labels (a merged header flattened), each naming one leaf.

    Each group is where its first leaf is; the line must then be the printed
    tree's leaves in order (a group's leaves together), and a label several
    leaves share (四's 结果维持) decides nothing.
    """
    if len(keys) != len(tree.leaves):
        return None
    taken = _matched(tree, tree.leaves, keys)
    if taken is None:
        return None
    position = {p: i for i, p in enumerate(taken)}

    def first(node: _Path) -> int:
        under = [i for p, i in position.items() if p[: len(node)] == node]
        return min(under, default=len(position))

    # each group's children in the order of their first leaf on the line
    printed: _Printed = {
        parent: tuple(sorted(kids, key=first)) for parent, kids in tree.children.items()
    }
    order = _leaf_order(tree, printed)
    # the leaves in the DFS order of the printed tree must be the line's order
    if [tree.leaves[i] for i in order] != sorted(position, key=position.__getitem__):
        return None
    return printed


def _matched(
    tree: _Tree, nodes: Sequence[_Path], keys: Sequence[str]
) -> tuple[_Path, ...] | None:
    """``nodes`` in the order of ``keys``, each key naming exactly one of them."""
    if len(keys) != len(nodes):
        return None
    out: list[_Path] = []
    for key in keys:
        named = [n for n in nodes if key in tree.keys[n]]
        if len(named) != 1 or named[0] in out:
            return None
        out.append(named[0])
    return tuple(out)


def _leaf_order(tree: _Tree, printed: _Printed) -> tuple[int, ...]:
    """The spec's index of each leaf, in the printed tree's reading order."""
    index = tree.index
    out: list[int] = []

    def walk(parent: _Path) -> None:
        for node in printed[parent]:
            if node in printed:
                walk(node)
            elif node in index:
                out.append(index[node])

    walk(())
    return tuple(out)


@by_identity(maxsize=64)
def _leaf_keys(tree: _Tree) -> frozenset[str]:
    return frozenset(k for p in tree.leaves for k in tree.keys[p])


def _fits(tree: _Tree, run: _Run, printed: _Printed) -> bool:
    """Whether a run of labels is part of the header ``printed`` would print:
    in its level-by-level form, or as group lines above a line of leaves."""
    memo = (_labels(run), _leaf_order(tree, printed))
    if memo not in tree.fitted:
        if len(tree.fitted) >= _MEMO:
            tree.fitted.clear()
        tree.fitted[memo] = _fitted(tree, run, printed)
    return tree.fitted[memo]


def _fitted(tree: _Tree, run: _Run, printed: _Printed) -> bool:
    levels = _levels(tree, printed)
    leaves = [tree.keys[tree.leaves[i]] for i in _leaf_order(tree, printed)]
    for keys, lines in _readings(tree, run):
        split = _split(tree, keys)
        if _within(keys, levels) or (
            split is not None
            and _within(split[0], levels)
            and _within(split[1], leaves)
        ):
            return True
        # over several lines only each line's own order is printed (`_siblings`)
        if 1 < len(set(lines)) < len(lines) and all(
            _within(
                [k for k, at in zip(keys, lines, strict=True) if at == line], levels
            )
            for line in set(lines)
        ):
            return True
    return False


def _levels(tree: _Tree, printed: _Printed) -> list[frozenset[str]]:
    """The labels ``printed`` prints, level by level: each node's label forms."""
    levels: list[frozenset[str]] = []
    level: list[_Path] = [()]
    while level:
        nodes = [k for parent in level for k in printed[parent]]
        levels += [tree.keys[n] for n in nodes if tree.keys[n]]
        level = [n for n in nodes if n in printed]
    return levels


def _within(keys: list[str], printed: list[frozenset[str]]) -> bool:
    """Whether ``keys`` name, in order, some of ``printed`` (a subsequence)."""
    it = iter(printed)
    return all(any(key in names for names in it) for key in keys)


def _reordered(table: TableSpec, run: _Run, order: tuple[int, ...]) -> Finding:
    leaves = table.column_leaves()
    printed = ", ".join(leaves[i].label for i in order)
    return Finding(
        "header.reordered",
        Severity.INFO,
        f"the header of {table.name} prints its columns in another order than the "
        f"form ({printed}); each value is placed in the column its header names",
        span=run[0][1].span,
    )
