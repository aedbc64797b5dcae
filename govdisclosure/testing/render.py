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

Hazards, seen in real reports, are modifiers too (all off by default, so
``Layout()`` prints as it always did): headings glued to the text before them,
the report's own section numbering, reworded and missing headings, the html
page inside a JavaScript string or a JSON blob, a PDF text layer's spaces
between digits and Han, page numbers between table rows, short rows, marks
instead of values, footnote marks, deleted cells, misprinted labels, tables
split by converters, sibling columns printed in another order than the form's
(header and data alike), row labels printed apart from their values, and
empty cells shown only by runs of line breaks (`HAZARDS`). What they need to
know of the format (section numbers, titles, units) comes from the spec; the
strings written here are page furniture, the same for every format.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from decimal import Decimal
from functools import lru_cache
from html import escape
from typing import Any

from attrs import evolve, frozen

from govdisclosure.model import Value
from govdisclosure.spec.model import LabelNode, SectionSpec, Spec, TableSpec
from govdisclosure.typography import ENUMERATOR, NUMERALS, label_key

__all__ = [
    "ANNOTATION_FORMS",
    "APART_CELLS",
    "APART_FORMS",
    "DELIMITED_CELLS",
    "FOOTNOTE_FORMS",
    "GLUES",
    "HAZARDS",
    "LAYOUT_CELLS",
    "MARKS",
    "NUMBERINGS",
    "PAGE_NUMBER_FORMS",
    "REWORDINGS",
    "RUN_FORMS",
    "SPLIT_CELLS",
    "WRAPPERS",
    "FilledReport",
    "Layout",
    "altered_cells",
    "annotated_cell",
    "render",
]

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


#: How a glued heading follows the text before it (`Layout.glue`): directly
#: (after a value, a ``|``, a full stop), after full-width spaces (``　　三、``),
#: or after a Han character (a number's unit ``万元三、``, a sentence without
#: its full stop, a label: ``四、结转下年度继续办理四、…``).
GLUES = ("direct", "spaces", "han")
#: A report's own section numbers (`Layout.numbering`): ``第一部分 总体情况``,
#: or every section one number later than the format's (``二、总体情况``).
NUMBERINGS = ("parts", "shifted")
#: How a heading is reworded (`Layout.reword`): the year before its title
#: (``二、2021年度主动公开政府信息情况``), or a title of no words of the spec's.
REWORDINGS = ("year", "generic")
#: Where the html page is put (`Layout.wrapper`): inline in a site's page with
#: its chrome, or in that page's JavaScript string or JSON blob.
WRAPPERS = ("inline", "script", "json")
#: Page-number lines between table rows (`Layout.page_numbers`).
PAGE_NUMBER_FORMS = ("- {n} -", "— {n} —")
#: Marks printed in a cell instead of its value (`Layout.marks`).
MARKS = ("*", "＊", "…", "·", "•", "#")
#: Footnote marks printed after a value (`Layout.footnotes`).
FOOTNOTE_FORMS = ("①", "²", "※", "注1")
#: One cell per line with fixed runs of line breaks (`Layout.runs`): the break,
#: the run between cells and the run between rows; an empty cell shows only as
#: one more run between cells. ``cr`` is real 04's and 06's (bare CRs, 3 and 5).
RUN_FORMS: dict[str, tuple[str, int, int]] = {"cr": ("\r", 3, 5), "lf": ("\n", 2, 3)}
#: The cell layouts that keep cell boundaries by delimiters (pipes, tabs, html).
DELIMITED_CELLS = ("pipe", "pipe_outer", "markdown", "tabs", "html")
#: Where a table's values stand when its labels are printed apart from them
#: (`Layout.apart`): on the line below each label, or every row label of the
#: table first and then its rows of values, in the same order (a PDF's label
#: column read before its value columns).
APART_FORMS = ("below", "after")
#: The cell layouts that print a row on one line, so that its label can stand apart.
APART_CELLS = ("pipe", "pipe_outer", "markdown", "tabs", "aligned")
#: The hazard modifiers of `Layout`, by field name (all off by default).
HAZARDS = (
    "glue",
    "numbering",
    "reworded",
    "missing",
    "wrapper",
    "pdf_spacing",
    "page_numbers",
    "short_rows",
    "marks",
    "footnotes",
    "deleted",
    "fuzzy_labels",
    "split_tables",
    "permuted_columns",
    "apart",
    "runs",
)
#: The layouts a PDF→markdown converter prints as pipe tables it splits into
#: pieces (`Layout.split_tables`).
SPLIT_CELLS = ("pipe", "pipe_outer", "markdown")
#: Remarks a report prints in a cell after its value (`Layout.split_tables`);
#: ``{n}`` is a count of its own, never a value of the table.
ANNOTATION_FORMS = ("（其中修订{n}件）", "（含自然失效{n}件）")
#: A header row of no spec, which a converter prints in the middle of a table.
_UNKNOWN_HEADER = ("本年新收件数", "上年结转件数", "办结件数")
#: Rows per piece of a split table.
_PIECE_ROWS = 3

#: The title that replaces a heading's under ``reword="generic"``: words of no spec.
_GENERIC_TITLE = "基本情况"
#: A site's furniture around a wrapped page (`Layout.wrapper`).
_SITE_NAV = "首页 | 政务公开 | 政策文件 | 互动交流 | 办事服务"
_BREADCRUMB = "当前位置：首页 > 政务公开 > 政府信息公开 > 政府信息公开年报"
_SITE_FOOTER = (
    "主办：某某县人民政府办公室 版权所有 ICP备05005744号-2 联系电话：0731-12345678"
)


@frozen
class FilledReport:
    """A spec and a value for every cell of its tables."""

    spec: Spec
    values: dict[str, dict[str, list[Value]]]
    year: int = 2021
    organization: str = "某某县交通运输局"


@frozen
class Layout:
    """How to print a report: the cell layout, its modifiers, and the hazards.

    The hazards (`HAZARDS`; all off by default) are those of real reports:

    * ``glue``: every heading glued to the line before it (one of `GLUES`);
    * ``numbering``: the report's own section numbers (one of `NUMBERINGS`);
    * ``reworded``: these sections' headings (indices into the spec's
      sections, modulo their number) reworded as ``reword`` says;
    * ``missing``: these sections' headings left out (indices into the
      sections that hold a table, modulo their number);
    * ``wrapper``: the html page put in a site's page (one of `WRAPPERS`;
      only for ``cells="html"``);
    * ``pdf_spacing``: a space between digits and Han outside the tables
      (``2021 年``), as a PDF's text layer prints it;
    * ``page_numbers``: a page-number line (a `PAGE_NUMBER_FORMS` form) after
      every ``page_rows`` table rows, and the title repeated as the next
      page's header when ``page_header`` (not for ``cells="html"``);
    * ``short_rows``: the rows' zero cells dropped, as a converter drops empty
      cells: a row prints fewer cells than columns, and nothing says which;
    * ``marks``: a mark (one of `MARKS`) printed instead of a value, in the
      cells `altered_cells` names;
    * ``footnotes``: a footnote mark (one of `FOOTNOTE_FORMS`) printed after
      a value, in the cells `altered_cells` names;
    * ``deleted``: a cell left out of some rows (`altered_cells`), in a table
      whose rows print no empty cell (no blanks for zeros): in a table that
      prints them, a row cut short is read as cut at its end;
    * ``fuzzy_labels``: one character dropped from the middle of each table
      label that stays near no other label (`_misprints`), as a PDF's text
      layer drops them (``2.其他法律行政止公开``);
    * ``split_tables``: as a PDF→markdown converter prints a table: in
      `SPLIT_CELLS` layouts, cut into pieces of a few rows, each after a blank
      line and under a generic header (``| 项目 | 数据1 | … |`` and its
      ``| --- |`` row), the table's own header repeated, a header row of no
      spec, or a placeholder table of dashes; and, in delimited layouts, a
      remark after some values (`ANNOTATION_FORMS`, `annotated_cell`);
    * ``permuted_columns``: the children of every column group (the top level
      included) printed in another order, header and data alike, shuffled by
      this seed (a group of two is swapped). Only where the header is printed
      (``header=True``): without one, nothing in the text says the order;
    * ``runs``: the tables one cell per line, cells and rows separated by runs
      of line breaks (one of `RUN_FORMS`), every zero an empty cell shown only
      by one more run (not for ``cells="html"``).

    Short rows and deleted cells drop the ragged padding of pipe rows. Marks
    and deleted cells are printed in every layout as it prints a cell: one
    cell per line, a mark is a line of its own and a deleted cell a line left
    out; glued, a mark stands between the digit groups and a deleted cell is
    absent (`strategies.layouts` draws deleted cells in delimited layouts only:
    without delimiters they are outside the engine's reach).
    * ``apart``: each row's label on a line of its own, its values on another
      (one of `APART_FORMS`; only for the `APART_CELLS` layouts).
    """

    cells: str = "pipe"
    blank_zero: bool = False
    fullwidth: bool = False
    traditional: bool = False
    aliases: bool = False
    wrap: bool = False
    groups: str = "own_line"  # "own_line" | "repeat" | "omit"
    header: bool = True
    chrome: bool = False
    glue: str | None = None
    numbering: str | None = None
    reworded: tuple[int, ...] = ()
    reword: str = "year"
    missing: tuple[int, ...] = ()
    wrapper: str | None = None
    pdf_spacing: bool = False
    page_numbers: str | None = None
    page_rows: int = 6
    page_header: bool = True
    short_rows: bool = False
    marks: str | None = None
    footnotes: str | None = None
    deleted: bool = False
    fuzzy_labels: bool = False
    split_tables: bool = False
    permuted_columns: int | None = None
    apart: str | None = None
    runs: str | None = None

    @property
    def keeps_boundaries(self) -> bool:
        """Every cell stays apart from its neighbours (all layouts but glued)."""
        return self.cells != "glued"

    @property
    def hazards(self) -> tuple[str, ...]:
        """The hazards this layout prints (names from `HAZARDS`)."""
        plain = Layout()
        return tuple(h for h in HAZARDS if getattr(self, h) != getattr(plain, h))

    def without_hazards(self) -> Layout:
        """The same layout with no hazard: what the hazard is compared with."""
        return evolve(self, **{h: getattr(Layout(), h) for h in HAZARDS})

    def exact_for(self, spec: Spec) -> bool:
        """Whether every cell must come back exactly, nothing flagged.

        Not for glued runs; not for blanks written for zeros (those cells are
        BLANK); not when a header that opens an unlabelled row is dropped.
        The hazards do not change it, but for those that take a value or its
        position out of the text (short rows, marks, deleted cells).
        """
        unlabelled = any(
            not leaf.node.label for t in spec.tables for leaf in t.row_leaves()
        )
        return (
            self.keeps_boundaries
            and not self.blank_zero
            and (self.header or not unlabelled)
            and not (self.short_rows or self.marks or self.deleted or self.runs)
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
    out.append(_prose(_title(report), layout))
    out.append(
        _prose(
            f"本报告所列数据的统计期限自{report.year}年1月1日起至{report.year}年12月31日止。",
            layout,
        )
    )
    pages = _Pages(_prose(_title(report), layout), layout)
    missing = _missing(spec, layout)
    unit: str | None = None  # the unit of the number the text so far ends with
    for index, section in enumerate(spec.sections):
        if section.id not in missing:
            _add_heading(out, _heading(report, index, layout), layout, unit)
        tables = [t for t in spec.tables if t.section == section.id]
        if not tables:
            mention = "".join(
                f"本年度{w}情况已在此说明。" for w in section.must_mention
            )
            out.append(
                _prose(
                    f"本机关认真落实《条例》要求，各项工作有序推进。{mention}", layout
                )
            )
            unit = None
        for table in tables:
            printed = _table(table, report.values[table.id], layout, rng, pages)
            out += _misprinted(printed, spec) if layout.fuzzy_labels else printed
            unit = _last_unit(spec, table)
    if layout.chrome:
        out += _CHROME_AFTER
    if layout.cells == "html":
        return _page(out, layout, report)
    text = "\n\n".join(out) if layout.cells == "blanklines" else "\n".join(out)
    if layout.runs:
        # every break the form's own: a CR then LF would be one break
        text = RUN_FORMS[layout.runs][0].join(out) + RUN_FORMS[layout.runs][0]
        return _convert(text, layout)
    return _convert(text, layout) + "\n"


def _title(report: FilledReport) -> str:
    return f"{report.organization}{report.year}年政府信息公开工作年度报告"


# --- hazards: headings, spacing, page numbers ----------------------------------

#: Where a PDF's text layer puts a space: between a digit and a Han character.
_DIGIT_HAN = re.compile(r"(?<=\d)(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])(?=\d)")


def _prose(text: str, layout: Layout) -> str:
    """A line outside the tables, spaced as a PDF prints it when asked."""
    return _DIGIT_HAN.sub(" ", text) if layout.pdf_spacing else text


def _numeral(n: int) -> str:
    """1 … 19 in Chinese numerals (section numbers)."""
    return NUMERALS[n - 1] if n <= 10 else "十" + NUMERALS[n - 11]


def _heading(report: FilledReport, index: int, layout: Layout) -> str:
    """Section ``index``'s heading: the spec's form, or the report's own way."""
    spec = report.spec
    section: SectionSpec = spec.sections[index]
    title = section.title
    if index in {i % len(spec.sections) for i in layout.reworded}:
        title = (
            f"{report.year}年度{title}" if layout.reword == "year" else _GENERIC_TITLE
        )
    form = spec.heading_forms[0].form
    if layout.numbering == "parts":
        text = f"第{_numeral(index + 1)}部分 {title}"
    elif layout.numbering == "shifted":
        text = form.format(number=_numeral(index + 2), title=title)
    elif section.number:
        text = form.format(number=section.number, title=title)
    else:
        text = title
    return _prose(text, layout)


def _missing(spec: Spec, layout: Layout) -> set[str]:
    """The ids of the sections printed without a heading (`Layout.missing`)."""
    with_tables = [
        s for s in spec.sections if any(t.section == s.id for t in spec.tables)
    ]
    if not with_tables:
        return set()
    return {with_tables[i % len(with_tables)].id for i in layout.missing}


def _add_heading(
    out: list[str], heading: str, layout: Layout, unit: str | None
) -> None:
    """Append a heading on its own line, or glued to the line before (`GLUES`)."""
    if layout.glue is None or not out or out[-1].startswith("<table"):
        out.append(heading)  # html: the markup separates a table from what follows
    elif layout.glue == "spaces":
        out[-1] += "\u3000\u3000" + heading
    elif layout.glue == "han":
        out[-1] = _han_end(out[-1], unit) + heading
    else:
        out[-1] += heading


def _han_end(line: str, unit: str | None) -> str:
    """The line made to end in a Han character where it can be.

    A sentence loses its full stop; a row ending in a number gives it its unit
    (and loses the pipes after it); a label already ends in one.
    """
    for suffix in (" | |", " |"):
        if line.endswith(suffix) and line[: -len(suffix)][-1:].isdigit():
            line = line[: -len(suffix)]
            break
    if line.endswith("。"):
        return line[:-1]
    if line[-1:].isdigit() and unit:
        return line + unit
    return line


def _last_unit(spec: Spec, table: TableSpec) -> str | None:
    """A unit of the table's last cell the spec can read (``万元``), if any."""
    row, column = table.row_leaves()[-1], table.column_leaves()[-1]
    units = (
        *column.node.units,
        column.node.unit,
        row.node.unit,
        table.unit,
        *spec.units[:1],
    )
    return next((u for u in units if u and u in spec.units), None)


class _Pages:
    """The page breaks of a printed PDF: after every `Layout.page_rows` rows."""

    def __init__(self, title: str, layout: Layout) -> None:
        self.title = title
        self.layout = layout
        self.rows = 0

    def after_row(self) -> list[str]:
        """The lines after a table row: a page's footer and the next one's header."""
        layout = self.layout
        if layout.page_numbers is None or layout.cells == "html":
            return []
        self.rows += 1
        per_page = max(layout.page_rows, 1)
        if self.rows % per_page:
            return []
        footer = layout.page_numbers.format(n=self.rows // per_page)
        return [footer, self.title] if layout.page_header else [footer]


def _convert(text: str, layout: Layout) -> str:
    if layout.traditional:
        text = _to_traditional(text)
    if layout.fullwidth:
        text = text.translate(_FULLWIDTH)
    return text


def _page(blocks: list[str], layout: Layout, report: FilledReport) -> str:
    """A saved page: a layout table around the report, as many CMSs print it."""
    body = "\n".join(
        b if b.startswith("<table") else f"<p>{escape(_convert(b, layout))}</p>"
        for b in blocks
    )
    if layout.wrapper is not None:
        return _site_page(body, layout, report)
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>政府信息公开年报</title>'
        "<script>var nav = '<td>1</td>';</script></head>\n"
        '<body><table width="100%"><tr><td class="content">\n'
        f"{body}\n</td></tr></table></body></html>\n"
    )


def _site_page(body: str, layout: Layout, report: FilledReport) -> str:
    """A site's page around the report's markup (`WRAPPERS`).

    Navigation, breadcrumbs, an 索引号/发布机构 table and a footer around a
    content ``<div>``: the markup is inside it (``inline``), or the div is
    empty and a script fills it from a JavaScript string (``script``, with
    ``\\"``, ``\\n`` and ``\\/`` escapes) or from a JSON blob (``json``, all
    non-ASCII as ``\\uXXXX``).
    """
    published = f"{report.year + 1}-01-20"
    meta = (
        '<table class="meta"><tr>'
        f"<td>索引号：</td><td>000014349/{report.year + 1}-00012</td>"
        f"<td>发布机构：</td><td>{escape(report.organization)}</td></tr>\n"
        f"<tr><td>发布日期：</td><td>{published}</td>"
        "<td>主题分类：</td><td>政务公开</td></tr></table>"
    )
    content, script = body, ""
    if layout.wrapper == "script":
        content = ""
        script = (
            f"<script>\nlet content = {_js_string(body)};\n"
            'document.getElementById("zoom").innerHTML = content;\n</script>\n'
        )
    elif layout.wrapper == "json":
        content = ""
        blob = json.dumps(
            {"title": _title(report), "publishDate": published, "content": body}
        ).replace("/", "\\/")
        script = (
            f'<script type="application/json" id="page-data">{blob}</script>\n'
            '<script>document.getElementById("zoom").innerHTML = '
            'JSON.parse(document.getElementById("page-data").textContent).content;'
            "</script>\n"
        )
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>政府信息公开年报</title>'
        "<script>var nav = '<td>1</td>';</script></head>\n<body>\n"
        f'<div class="nav">{_SITE_NAV}</div>\n<div class="crumb">{_BREADCRUMB}</div>\n'
        f'{meta}\n<div id="zoom">{content}</div>\n{script}'
        f'<div class="footer">{_SITE_FOOTER}</div>\n</body></html>\n'
    )


def _js_string(text: str) -> str:
    """``text`` as a JavaScript string literal, escaped as CMS templates do."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("/", "\\/")
    )
    return f'"{escaped}"'


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
    if (layout.blank_zero or layout.runs) and value == 0:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def altered_cells(
    layout: Layout, index: int, width: int
) -> tuple[int | None, int | None, int | None]:
    """The columns of leaf row ``index`` (of ``width`` columns) that carry a
    footnote mark, a mark instead of the value, and that are deleted (None:
    none), by the layout's hazards: one row in three or four, a column that
    moves with the row."""
    if not width:
        return None, None, None
    column = index % width
    return (
        column if layout.footnotes and index % 3 == 0 else None,
        column if layout.marks and index % 3 == 1 else None,
        column if layout.deleted and index % 4 == 2 else None,
    )


def annotated_cell(layout: Layout, index: int, row: list[Value]) -> int | None:
    """The column of leaf row ``index`` whose value carries a remark
    (`Layout.split_tables`): one row in three, a positive count."""
    if not layout.split_tables or not row or layout.cells not in DELIMITED_CELLS:
        return None
    column = (index + 1) % len(row)
    value = row[column]
    if index % 3 != 2 or isinstance(value, Decimal) or not value or value < 0:
        return None
    return column


def _printed_values(
    values: dict[str, list[Value]], key: str, layout: Layout
) -> list[str]:
    """A row's value cells as printed, with the cell hazards applied."""
    row = values[key]
    cells = [_value(v, layout) for v in row]
    note, mark, gone = altered_cells(layout, list(values).index(key), len(row))
    if note is not None and cells[note]:
        cells[note] += layout.footnotes or ""
    if mark is not None:
        cells[mark] = layout.marks or ""
    index = list(values).index(key)
    remark = annotated_cell(layout, index, row)
    if remark is not None:
        form = ANNOTATION_FORMS[index % len(ANNOTATION_FORMS)]
        cells[remark] += form.format(n=int(row[remark] or 0) // 2 + 1)
    kept = [
        i
        for i, v in enumerate(row)
        if i != gone and (not layout.short_rows or v != 0 or i == mark)
    ]
    return [cells[i] for i in kept]


def _cells(
    cells: list[str], layout: Layout, row: bool, labels: int | None = None
) -> list[str]:
    """One printed row of cells as lines of text.

    The first `labels` cells (all of them by default: header rows) are labels;
    only labels wrap, because a wrapped number is a different number.
    """
    labels = len(cells) if labels is None else labels
    kind = layout.cells
    if layout.runs:
        return [_run_cells(cells, layout.runs, labels if layout.wrap else 0)]
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
        # the labels, then the values in their order: a mark stands between
        # the digit groups, where its cell is (``行政许可12*34``)
        return ["".join(cells)]
    out = []
    for i, cell in enumerate(cells):
        if layout.wrap and i < labels and len(cell) >= 6:
            half = len(cell) // 2
            out += [cell[:half], cell[half:]]
        else:
            out.append(cell)
    return out


def _run_cells(cells: list[str], runs: str, wrapped: int) -> str:
    """A row one cell per line, as `RUN_FORMS` says: an empty cell is only its
    run; the first ``wrapped`` cells (labels) wrap over two lines, one break
    apart (real 04's ``商业«1»企业``)."""
    br, cell, row = RUN_FORMS[runs]
    shown = [
        c[: len(c) // 2] + br + c[len(c) // 2 :] if i < wrapped and len(c) >= 6 else c
        for i, c in enumerate(cells)
    ]
    return (br * cell).join(shown) + br * (row - 1)


def _header(table: TableSpec, layout: Layout, rng: random.Random) -> list[str]:
    lines: list[str] = []
    level = list(table.columns)
    while level:
        labels = [_label(n, layout, rng) for n in level if n.label]
        if labels:
            lines += _cells(labels, layout, row=False)
            if layout.cells == "markdown" and not layout.runs and not lines[1:]:
                lines.append("|" + "---|" * len(labels))
        level = [c for n in level for c in n.children]
    return lines


def _table(
    table: TableSpec,
    values: dict[str, list[Value]],
    layout: Layout,
    rng: random.Random,
    pages: _Pages | None = None,
) -> list[str]:
    lines = list(table.labels[:1])  # the caption or note, when the spec has one
    if layout.permuted_columns is not None and layout.header:
        table, values = _permuted(table, values, layout.permuted_columns)
    if layout.cells == "html":
        return [*lines, _html_table(table, values, layout, rng)]
    if layout.header:
        lines += _header(table, layout, rng)
    split = layout.split_tables and layout.cells in SPLIT_CELLS
    later: list[list[str]] | None = None
    if layout.apart is not None and layout.cells in APART_CELLS:
        later = []  # the rows of values, below their labels or after them all
    rows = _rows(table.rows, (), values, layout, rng, apart=later)
    for number, row in enumerate(rows):
        if split and number and number % _PIECE_ROWS == 0:
            lines += _piece_head(table, layout, rng, number // _PIECE_ROWS)
        lines += row
        if pages is not None:
            lines += pages.after_row()
    for row in later or []:
        lines += row
        if pages is not None:
            lines += pages.after_row()
    return lines


def _piece_head(
    table: TableSpec, layout: Layout, rng: random.Random, piece: int
) -> list[str]:
    """What a converter prints before a piece of a split table: a blank line,
    and in turn a generic header, the table's header again, a header row of
    no spec, or a placeholder table of dashes before a generic header."""
    width = len(table.column_leaves())
    generic = _cells(
        ["项目", *(f"数据{i}" for i in range(1, width + 1))], layout, False
    )
    rule = _cells(["---"] * (width + 1), layout, False)
    kind = piece % 4
    if kind == 1:
        return ["", *generic, *rule]
    if kind == 2:
        return ["", *_header(table, layout, rng)]
    if kind == 3:
        return ["", *_cells(["项目", *_UNKNOWN_HEADER], layout, False)]
    dashes = _cells(["-"] * (width + 1), layout, False)
    return ["", *dashes, *rule, "", *generic, *rule]


def _permuted(
    table: TableSpec, values: dict[str, list[Value]], seed: int
) -> tuple[TableSpec, dict[str, list[Value]]]:
    """The table with every column group's children in another order
    (`Layout.permuted_columns`), and its rows' values in that order."""
    rng = random.Random(seed)

    def shuffled(nodes: tuple[LabelNode, ...]) -> tuple[LabelNode, ...]:
        nodes = tuple(
            evolve(n, children=shuffled(n.children)) if n.children else n for n in nodes
        )
        order = list(range(len(nodes)))
        rng.shuffle(order)
        if len(order) > 1 and order == sorted(order):
            order = order[1:] + order[:1]  # never the form's own order
        return tuple(nodes[i] for i in order)

    printed = evolve(table, columns=shuffled(table.columns))
    index = {leaf.key: i for i, leaf in enumerate(table.column_leaves())}
    moved = [index[leaf.key] for leaf in printed.column_leaves()]
    return printed, {row: [vals[i] for i in moved] for row, vals in values.items()}


def _rows(
    nodes: tuple[LabelNode, ...],
    groups: tuple[LabelNode, ...],
    values: dict[str, list[Value]],
    layout: Layout,
    rng: random.Random,
    prefix: str = "",
    apart: list[list[str]] | None = None,
) -> Iterator[list[str]]:
    """The printed rows (group labels on their own line included), each as lines.

    With ``apart`` (`Layout.apart`) a labelled row prints its label alone and
    its values on the line below (``below``) or into ``apart`` (``after``).
    """
    for node in nodes:
        if node.children:
            if node.label and layout.groups == "own_line":
                yield _cells([_label(node, layout, rng)], layout, row=False)
            inner = (*groups, node) if node.label else groups
            yield from _rows(
                node.children,
                inner,
                values,
                layout,
                rng,
                prefix + (node.key + "_" if node.key else ""),
                apart,
            )
            continue
        key = prefix + (node.key or "")
        cells = _printed_values(values, key, layout)
        label = [_label(node, layout, rng)] if node.label else []
        if layout.groups == "repeat" and groups:
            label = [_label(g, layout, rng) for g in groups] + label
        padded = not (layout.short_rows or layout.deleted)
        if apart is None or not label:
            yield _cells(label + cells, layout, row=padded, labels=len(label))
            continue
        own = _cells(label, layout, row=False)  # no padding cell: the label alone
        if layout.apart == "below":
            yield own + _cells(cells, layout, row=True, labels=0)
        else:
            yield own
            apart.append(_cells(cells, layout, row=True, labels=0))


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
                _td(v, layout)
                for v in _printed_values(values, prefix + (node.key or ""), layout)
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


# --- hazard: labels with a character dropped (fuzzy_labels) -------------------


def _misprinted(lines: list[str], spec: Spec) -> list[str]:
    """A table's lines with each label of `_misprints` printed without a character."""
    out = []
    for line in lines:
        for label, misprint in _misprints(spec):
            if label in line:
                line = line.replace(label, misprint)
        out.append(line)
    return out


@lru_cache(maxsize=16)
def _misprints(spec: Spec) -> tuple[tuple[str, str], ...]:
    """Each label (or alias) of a row, column or group and its misprint: the label
    without its middle Han character, kept only where that is safe to read.

    Safe: the label has at least six characters after its enumerator; its
    misprint is within the documented budget of it (one edit per four
    characters) and outside the budget of every label of its section naming
    something else, and starts none (a truncated label is another rule); and
    the label neither holds nor is held in another text of the spec, so the
    replacement changes only its own occurrences.
    """
    from govdisclosure.pipeline.labels import edit_distance, fuzzy_budget

    texts = [t for table in spec.tables for t in table.texts()]
    out: dict[str, str] = {}
    for section in dict.fromkeys(t.section for t in spec.tables):
        names = _named(spec, section)
        for text, named in names.items():
            core = _core(text)
            hans = [i for i, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff"]
            if len(core) < 6 or not hans or not named:
                continue
            cut = hans[len(hans) // 2]
            misprint = text[:cut] + text[cut + 1 :]
            near = _core(misprint)
            others = [o for o, n in names.items() if not (n & named)]
            if any(
                edit_distance(near, _core(o), fuzzy_budget(_core(o))) is not None
                or _core(o).startswith(near)
                for o in others
            ) or any(o != text and (o in text or text in o) for o in texts):
                continue
            out[text] = misprint
    return tuple(sorted(out.items(), key=lambda p: -len(p[0])))


def _named(spec: Spec, section: str) -> dict[str, set[tuple[str, str]]]:
    """The section's label texts, each with what it names (table, node); captions
    and remarks name nothing of their own."""
    names: dict[str, set[tuple[str, str]]] = {}
    for table in spec.tables:
        if table.section != section:
            continue
        for text in (*table.labels, *table.remarks):
            names.setdefault(text, set())
        leaves = (*table.row_leaves(), *table.column_leaves())
        nodes = [(leaf.node, leaf.key) for leaf in leaves] + [
            (g, f"group:{g.label}")
            for g in (*table.row_groups(), *table.column_groups())
        ]
        for node, name in nodes:
            for written in (node.label, *node.aliases):
                if written:
                    names.setdefault(written, set()).add((table.id, name))
    return names


def _core(text: str) -> str:
    """A label's match form without its enumerator, as the fuzzy rule compares it."""
    key = label_key(text)
    m = ENUMERATOR.match(key)
    return (key[m.end() :] if m else key).replace(",", ".")
