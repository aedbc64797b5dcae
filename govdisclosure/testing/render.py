"""Layout renderers: a filled report → text, as publishing systems print it.

Each layout is a plain function of a `FilledReport` and a `Layout`; nothing
here parses. The layouts are those seen in real reports (the seeds and the
corpus): pipe rows with or without outer pipes and with ragged padding,
markdown with ``|---|``, tabs, columns aligned by spaces (PDF text), one cell
per line with or without blank lines, glued digit runs, and a saved web page
whose tables use rowspan and colspan as the official forms do. Modifiers: blank
cells for zeros, full-width digits, traditional characters, spec aliases
instead of labels, labels wrapped over two lines, group labels on their own
line / repeated / omitted, headers dropped, and web chrome around the report.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from html import escape
from typing import Any

from attrs import frozen

from govdisclosure.model import Value
from govdisclosure.spec.model import LabelNode, Spec, TableSpec

__all__ = ["LAYOUT_CELLS", "FilledReport", "Layout", "render"]

#: How the cells of a row are separated.
LAYOUT_CELLS = (
    "pipe",
    "pipe_outer",
    "markdown",
    "tabs",
    "aligned",
    "lines",
    "blanklines",
    "glued",
    "html",
)

_CHROME_BEFORE = [
    "首页 > 政务公开 > 政府信息公开年报",
    "字号：大 中 小 | 打印 | 关闭",
    "浏览次数：1203",
]
_CHROME_AFTER = [
    "关联稿件",
    "版权所有：某某县人民政府办公室 ICP备05005744号-2",
    "和硕县| 临武县| 资源县| 9999",
]


@frozen
class FilledReport:
    """A spec and a value for every cell of its tables."""

    spec: Spec
    values: dict[str, dict[str, list[Value]]]
    year: int = 2021
    organization: str = "某某县交通运输局"


@frozen
class Layout:
    """How to print a report: the cell layout and its modifiers."""

    cells: str = "pipe"
    blank_zero: bool = False
    fullwidth: bool = False
    traditional: bool = False
    aliases: bool = False
    wrap: bool = False
    groups: str = "own_line"  # "own_line" | "repeat" | "omit"
    header: bool = True
    chrome: bool = False

    @property
    def keeps_boundaries(self) -> bool:
        """Every cell stays apart from its neighbours (all layouts but glued)."""
        return self.cells != "glued"

    def exact_for(self, spec: Spec) -> bool:
        """Whether every cell must come back exactly, nothing flagged.

        Not for glued runs; not for blanks written for zeros (those cells are
        BLANK); not when a header that opens an unlabelled row is dropped.
        """
        unlabelled = any(
            not leaf.node.label for t in spec.tables for leaf in t.row_leaves()
        )
        return (
            self.keeps_boundaries
            and not self.blank_zero
            and (self.header or not unlabelled)
        )


def render(
    report: FilledReport, layout: Layout, rng: random.Random | None = None
) -> str:
    """The report as text in ``layout`` (``rng`` picks aliases; default seed 0)."""
    rng = rng or random.Random(0)
    spec = report.spec
    out: list[str] = []
    if layout.chrome:
        out += _CHROME_BEFORE
    out.append(f"{report.organization}{report.year}年政府信息公开工作年度报告")
    out.append(
        f"本报告所列数据的统计期限自{report.year}年1月1日起至{report.year}年12月31日止。"
    )
    for section in spec.sections:
        out.append(
            spec.heading_forms[0].form.format(
                number=section.number, title=section.title
            )
            if section.number
            else section.title
        )
        tables = [t for t in spec.tables if t.section == section.id]
        if not tables:
            mention = "".join(
                f"本年度{w}情况已在此说明。" for w in section.must_mention
            )
            out.append(f"本机关认真落实《条例》要求，各项工作有序推进。{mention}")
        for table in tables:
            out += _table(table, report.values[table.id], layout, rng)
    if layout.chrome:
        out += _CHROME_AFTER
    if layout.cells == "html":
        return _page(out, layout)
    text = "\n\n".join(out) if layout.cells == "blanklines" else "\n".join(out)
    return _convert(text, layout) + "\n"


def _convert(text: str, layout: Layout) -> str:
    if layout.traditional:
        text = _to_traditional(text)
    if layout.fullwidth:
        text = text.translate(_FULLWIDTH)
    return text


def _page(blocks: list[str], layout: Layout) -> str:
    """A saved page: a layout table around the report, as many CMSs print it."""
    body = "\n".join(
        b if b.startswith("<table") else f"<p>{escape(_convert(b, layout))}</p>"
        for b in blocks
    )
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>政府信息公开年报</title>'
        "<script>var nav = '<td>1</td>';</script></head>\n"
        '<body><table width="100%"><tr><td class="content">\n'
        f"{body}\n</td></tr></table></body></html>\n"
    )


_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@lru_cache(maxsize=1)
def _s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


def _to_traditional(text: str) -> str:
    converted: str = _s2t().convert(text)
    return converted


def _label(node: LabelNode, layout: Layout, rng: random.Random) -> str:
    label = node.label or ""
    if layout.aliases and node.aliases:
        label = rng.choice((label, *node.aliases))
    return label


def _value(value: Value, layout: Layout) -> str:
    if layout.blank_zero and value == 0:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _cells(
    cells: list[str], layout: Layout, row: bool, labels: int | None = None
) -> list[str]:
    """One printed row of cells as lines of text.

    The first `labels` cells (all of them by default: header rows) are labels;
    only labels wrap, because a wrapped number is a different number.
    """
    labels = len(cells) if labels is None else labels
    kind = layout.cells
    if kind in ("pipe", "pipe_outer", "markdown"):
        line = " | ".join(cells)
        if kind == "pipe":
            line += " | |" if row else " |"  # ragged padding after data rows
        else:
            line = f"| {line} |"
        return [line]
    if kind == "tabs":
        return ["\t".join(cells)]
    if kind == "aligned":
        return ["    ".join(cells)]
    if kind == "glued":
        head = [c for c in cells if c and not c[0].isdigit() and not c.startswith("-")]
        return ["".join(head) + "".join(c for c in cells if c not in head)]
    out = []
    for i, cell in enumerate(cells):
        if layout.wrap and i < labels and len(cell) >= 6:
            half = len(cell) // 2
            out += [cell[:half], cell[half:]]
        else:
            out.append(cell)
    return out


def _header(table: TableSpec, layout: Layout, rng: random.Random) -> list[str]:
    lines: list[str] = []
    level = list(table.columns)
    while level:
        labels = [_label(n, layout, rng) for n in level if n.label]
        if labels:
            lines += _cells(labels, layout, row=False)
            if layout.cells == "markdown" and not lines[1:]:
                lines.append("|" + "---|" * len(labels))
        level = [c for n in level for c in n.children]
    return lines


def _table(
    table: TableSpec, values: dict[str, list[Value]], layout: Layout, rng: random.Random
) -> list[str]:
    lines = list(table.labels[:1])  # the caption or note, when the spec has one
    if layout.cells == "html":
        return [*lines, _html_table(table, values, layout, rng)]
    if layout.header:
        lines += _header(table, layout, rng)
    lines += list(_rows(table.rows, (), values, layout, rng))
    return lines


def _rows(
    nodes: tuple[LabelNode, ...],
    groups: tuple[LabelNode, ...],
    values: dict[str, list[Value]],
    layout: Layout,
    rng: random.Random,
    prefix: str = "",
) -> Iterator[str]:
    for node in nodes:
        if node.children:
            if node.label and layout.groups == "own_line":
                yield from _cells([_label(node, layout, rng)], layout, row=False)
            inner = (*groups, node) if node.label else groups
            yield from _rows(
                node.children,
                inner,
                values,
                layout,
                rng,
                prefix + (node.key + "_" if node.key else ""),
            )
            continue
        key = prefix + (node.key or "")
        cells = [_value(v, layout) for v in values[key]]
        label = [_label(node, layout, rng)] if node.label else []
        if layout.groups == "repeat" and groups:
            label = [_label(g, layout, rng) for g in groups] + label
        yield from _cells(label + cells, layout, row=True, labels=len(label))


def _depth(nodes: tuple[LabelNode, ...]) -> int:
    """Label levels of a tree (unlabelled levels print no cell)."""
    return max(
        (bool(n.label) + _depth(n.children) for n in nodes),
        default=0,
    )


def _leaf_count(node: LabelNode) -> int:
    return sum(map(_leaf_count, node.children)) if node.children else 1


def _html_label(node: LabelNode, layout: Layout, rng: random.Random) -> str:
    label = _label(node, layout, rng)
    if layout.wrap and len(label) >= 6:
        half = len(label) // 2
        return f"{label[:half]}<br>{label[half:]}"  # a line break inside the cell
    return label


def _html_table(
    table: TableSpec, values: dict[str, list[Value]], layout: Layout, rng: random.Random
) -> str:
    """The official shape: merged group cells span their leaves, leaves fill down."""
    header_depth = _depth(table.columns)
    row_depth = _depth(table.rows)
    rows: list[list[str]] = []
    if layout.header and header_depth:
        rows = [[] for _ in range(header_depth)]
        if row_depth:
            rows[0].append(_td("", layout, header_depth, row_depth))

        def header(nodes: tuple[LabelNode, ...], level: int) -> None:
            for node in nodes:
                if not node.label:
                    header(node.children, level)
                    continue
                down = 1 if node.children else header_depth - level
                rows[level].append(
                    _td(_html_label(node, layout, rng), layout, down, _leaf_count(node))
                )
                header(node.children, level + 1)

        header(table.columns, 0)

    def body(
        nodes: tuple[LabelNode, ...], level: int, prefix: str, row: list[str]
    ) -> None:
        for node in nodes:
            if node.children:
                if node.label:
                    row.append(
                        _td(_html_label(node, layout, rng), layout, _leaf_count(node))
                    )
                body(
                    node.children,
                    level + bool(node.label),
                    prefix + (node.key + "_" if node.key else ""),
                    row,
                )
                row = []  # the group's first row took its cell
                continue
            if node.label:
                row.append(
                    _td(_html_label(node, layout, rng), layout, 1, row_depth - level)
                )
            row += [
                _td(_value(v, layout), layout)
                for v in values[prefix + (node.key or "")]
            ]
            rows.append(row)
            row = []

    body(table.rows, 0, "", [])
    lines = "\n".join(f"<tr>{''.join(r)}</tr>" for r in rows)
    return f'<table border="1" cellspacing="0">\n<tbody>\n{lines}\n</tbody></table>'


def _td(markup: str, layout: Layout, rowspan: int = 1, colspan: int = 1) -> str:
    """A cell whose text may hold a <br> (already split by `_html_label`)."""
    spans = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else ""
    )
    text = "<br>".join(escape(_convert(part, layout)) for part in markup.split("<br>"))
    return f"<td{spans}>{text}</td>"
