"""Saved pages whose report is inside a script, a template or site chrome.

Government CMS pages often hold the report in a JavaScript string
(``let content = "<p …>…<table …>"``, escaped by the CMS), in a JSON blob or
in a template, and wrap it in navigation, breadcrumbs, a page-metadata table
(索引号/发布机构/发布时间) and footers. The report's markup here is a golden
case's true values (typed by hand from the reports) printed as a web page
with the official merged cells (rowspan/colspan); every cell must come back
with its value through ``govdisclosure.load``, and no chrome may become
report text.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import govdisclosure
from govdisclosure.pipeline.inputs.scripts import _decoded_literal
from govdisclosure.spec.registry import default_registry
from govdisclosure.testing.golden import expected_cell, read_case
from govdisclosure.testing.render import FilledReport, Layout, render

CASES = Path(__file__).parent.parent / "golden" / "cases"
#: 2021 format, hand-written, every cell a plain value; its 三 merges labels over rows
HAND = CASES / "gov-2021" / "hand-merged.expected.yaml"
#: 2019 format (a real report, seed 000)
SEED = CASES / "gov-2019" / "seed-000.expected.yaml"


def _report_markup(case_path: Path) -> tuple[str, dict[str, Any]]:
    """The case's report as the markup a CMS stores: paragraphs and tables."""
    case = read_case(case_path)
    spec = default_registry().get(case["format"])
    values = {
        table: {
            row: [expected_cell(c)[1] for c in cells] for row, cells in rows.items()
        }
        for table, rows in case["tables"].items()
    }
    filled = FilledReport(
        spec, values, year=case["year"], organization=case["organization"]
    )
    page = render(filled, Layout(cells="html"), random.Random(0))
    start = page.index('<td class="content">') + len('<td class="content">')
    markup = page[start : page.index("</td></tr></table></body>")]
    assert 'rowspan="' in markup  # the merged labels are there to be read
    return markup, case


def _assert_every_cell(report: govdisclosure.Report, case: dict[str, Any]) -> None:
    assert case["format"] == report.format
    checked = 0
    for table, rows in case["tables"].items():
        grid = report.table(table)
        for row_key, written in rows.items():
            got = grid.grid()[grid.row_keys.index(row_key)]
            for cell, typed in zip(got, written, strict=True):
                assert expected_cell(typed) == (cell.status, cell.value), cell.key
                checked += 1
    assert checked == len(list(report.cells))
    assert case["year"] == report.year
    assert case["organization"] == report.organization
    assert "invariant.violated" not in {f.code for f in report.findings}


# --- the CMS's ways of writing a string -------------------------------------------


def _double_quoted(markup: str) -> str:
    """JSON-style, as most CMSs write it: \\" \\n \\/ and \\uXXXX for every Han."""
    return json.dumps(markup, ensure_ascii=True).replace("</", "<\\/")


def _single_quoted(markup: str) -> str:
    """JavaScript-only escapes: \\' \\x3c \\u{…}, octal, and a line continuation."""
    body = (
        markup.replace("\\", "\\\\")
        .replace("'", "\\'")
        .replace("\n", "\\n")
        .replace("<", "\\x3c")
        .replace("A", "\\101")
        .replace("报", "\\u{62a5}")
    )
    middle = body.index("\\x3ctable")
    return "'" + body[:middle] + "\\\n" + body[middle:] + "'"


def _concatenated(markup: str) -> str:
    """Pieces of 300 characters joined by ``+`` over several lines."""
    pieces = [markup[i : i + 300] for i in range(0, len(markup), 300)]
    return " +\n    ".join(_double_quoted(piece) for piece in pieces)


def _cms_page(script: str, *, before: str = "", after: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>年报</title>'
        '<script src="/js/jquery.min.js"></script></head>\n<body>\n'
        f'{before}<div class="article" id="zoom"></div>\n{script}\n{after}'
        "</body></html>\n"
    )


SCRIPT_FORMS = {
    "let-double": lambda m: (
        f"<script>\nlet content = {_double_quoted(m)};\n"
        "$('#zoom').html(content);\n</script>"
    ),
    "var-single": lambda m: (
        f"<script type='text/javascript'>var content = {_single_quoted(m)};"
        " // shown on load\ndocument.getElementById('zoom').innerHTML = content;</script>"
    ),
    "concatenated": lambda m: (
        f"<script>/* body */ var html = {_concatenated(m)};\nshow(html);</script>"
    ),
    "json-blob": lambda m: (
        "<script>var data = "
        + json.dumps({"id": 20220121, "title": "年报", "content": m, "views": 1203})
        + ";\nrender(data);</script>"
    ),
    "json-script": lambda m: (
        '<script type="application/json" id="__DATA__">'
        + json.dumps({"article": {"content": m}}, ensure_ascii=True)
        + "</script>"
    ),
    "json-parse": lambda m: (
        "<script>var data = JSON.parse("
        + _single_quoted(json.dumps({"content": m}, ensure_ascii=False))
        + ");</script>"
    ),
    "entity-escaped": lambda m: (
        "<script>var data = "
        + json.dumps({"content": m.replace("&", "&amp;").replace("<", "&lt;")})
        + ";</script>"
    ),
    "text-template": lambda m: (
        f'<script type="text/template" id="tpl">\n{m}\n</script>'
    ),
    "template-element": lambda m: f"<template id='tpl'>{m}</template>",
}


@pytest.mark.parametrize("case_path", [HAND, SEED], ids=["gov-2021", "gov-2019"])
@pytest.mark.parametrize("form", SCRIPT_FORMS)
def test_a_report_held_by_a_script_is_read_from_its_markup(
    form: str, case_path: Path
) -> None:
    markup, case = _report_markup(case_path)
    page = _cms_page(SCRIPT_FORMS[form](markup))
    assert "<table" not in page.split("<script", 1)[0]  # nothing shown outside it

    report = govdisclosure.load(page)

    _assert_every_cell(report, case)


def test_script_markup_is_read_where_the_script_stood() -> None:
    page = (
        "<html><body><p>前言</p><script>var c = "
        + _double_quoted(
            "<p>" + "甲" * 120 + '</p><table><tr><td rowspan="2">合并</td>'
            "<td>1</td></tr><tr><td>2</td></tr></table><p>尾</p>"
        )
        + ";</script><p>后记</p></body></html>"
    )

    assert (
        f"前言\n{'甲' * 120}\n| 合并 | 1 |\n| 2 |\n尾\n后记\n"
        == govdisclosure.html_to_text(page)
    )


def test_small_script_strings_and_code_are_not_report_text() -> None:
    """A UI snippet (`'<td>1</td>'`), code, and strings without markup stay out."""
    page = (
        "<html><body><p>正文</p><script>var row = '<tr><td>' + n + '</td></tr>';"
        'var msg = "' + "请稍候" * 50 + '"; if (a < b && c > d) { x = "<p>"; }'
        "</script></body></html>"
    )

    assert "正文\n" == govdisclosure.html_to_text(page)


def test_a_report_the_page_shows_and_its_script_copies_is_read_once() -> None:
    markup, case = _report_markup(HAND)
    page = _cms_page(
        "<script>window.__STATE__ = " + json.dumps({"content": markup}) + ";</script>",
        before=markup,
    )

    text = govdisclosure.html_to_text(page)

    assert 1 == text.count("三、收到和处理政府信息公开申请情况")
    _assert_every_cell(govdisclosure.load(page), case)


# --- malformed and hostile scripts ----------------------------------------------------


def test_a_malformed_string_is_skipped_not_a_crash() -> None:
    good = _double_quoted("<p>" + "正文" * 80 + "</p><p>二</p><p>三</p>")
    page = (
        "<html><body><p>页</p><script>"
        'var a = "<p>' + "坏" * 200 + '\\x4</p><p></p><p></p>";\n'  # bad \x escape
        'var b = "<p>' + "断" * 200 + "\n"  # unterminated
        'var c = "\\ud800<p>' + "孤" * 200 + '</p><p></p><p></p>";\n'  # lone surrogate
        'var r = /"/g;\n'  # a regular expression literal holding a quote
        'var d = "<div>' * 300 + "深" * 200 + '";\n'  # nesting lxml cannot read
        f"var e = {good};</script></body></html>"
    )

    text = govdisclosure.html_to_text(page)

    assert "页" in text
    assert "正文" * 80 in text
    assert not {"坏", "断", "孤"} & set(text)


@pytest.mark.parametrize(
    "hostile",
    [
        "'\\'" * 1_000_000,  # an unterminated string of escaped quotes, on one line
        "`\\`" * 1_000_000,  # the same, as a template literal
        "/*" + "\"'" * 1_000_000,  # an unterminated comment
        ("x = '<p>" + "字" * 150 + "</p><p></p><p></p>';\n") * 20_000,  # many fragments
    ],
    ids=["quotes", "backticks", "comment", "fragments"],
)
def test_megabytes_of_script_do_not_hang(hostile: str) -> None:
    """Each character of a script is scanned once: a 3 MB script takes well under a second.

    (A scanner that retried each quote to the end of its line took minutes.)
    """
    page = f"<html><body><p>页</p><script>{hostile}</script></body></html>"
    started = time.perf_counter()

    text = govdisclosure.html_to_text(page)

    assert text.startswith("页\n")
    assert time.perf_counter() - started < 30  # generous: a shared, slow machine


_JS = st.sampled_from(
    [
        '"',
        "'",
        "`",
        "\\",
        "\\u",
        "\\x",
        "\\u{",
        "}",
        "+",
        "/*",
        "*/",
        "//",
        "\n",
        "<p>",
        "<table>",
        "<td rowspan=2>",
        "</td>",
        "${",
        "\\ud83d",
        "{",
        "[",
    ]
)


@given(st.lists(_JS | st.text(max_size=8), max_size=80), st.text(max_size=30))
def test_any_script_text_never_crashes_html_to_text(
    parts: list[str], text: str
) -> None:
    body = "".join(parts)
    long_string = _double_quoted("<p>" + text + "</p><p>" * 3 + "字" * 120) + body
    for script in (body, long_string, f"var a = '{body}'", f'{{"c": "{body}"}}'):
        page = f"<html><body><p>页</p><script>{script}</script></body></html>"
        assert isinstance(govdisclosure.html_to_text(page), str)


# --- the decoder ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quote", "body", "value"),
    [
        ('"', r"a\"b\/c\n\u62a5\ud83d\ude00", 'a"b/c\n报😀'),
        ('"', r"it\'s \x3cp>", "it's <p>"),  # not JSON: read by JavaScript's rules
        ("'", r"\x3cp\x3e \u{1F600} \101\0 \q", "<p> 😀 A\0 q"),
        ("'", "one \\\ntwo \\\r\nthree", "one two three"),  # line continuations
        ("`", r"\`tick\`", "`tick`"),
    ],
)
def test_string_escapes_are_decoded_by_the_language_rules(
    quote: str, body: str, value: str
) -> None:
    assert value == _decoded_literal(quote, body)


@pytest.mark.parametrize("body", [r"\x4", r"\u12", r"\u{110000}", r"\ud800"])
def test_a_malformed_escape_is_an_error(body: str) -> None:
    with pytest.raises(
        ValueError, match=r"malformed escape|no such code|lone surrogate"
    ):
        _decoded_literal("'", body)


# --- site chrome ----------------------------------------------------------------------

CHROME_BEFORE = """
<div class="header"><div class="logo"><img src="logo.png">某某县人民政府</div>
  <div class="search"><input type="text"> 搜索</div></div>
<div class="mainNav"><ul><li><a href="/">首页</a></li><li><a>政务公开</a></li>
  <li><a>2020年政府信息公开工作年度报告</a></li><li><a>互动交流</a></li></ul></div>
<nav><a>政府信息公开指南</a> <a>2019年政府信息公开工作年度报告</a></nav>
<div class="bread-crumb">当前位置：<a>首页</a> &gt; <a>政府信息公开</a> &gt; <a>年报</a></div>
<div class="xxgk_info"><table class="xxgk_table" width="100%">
  <tr><td>索引号：</td><td>11430802MB1234567X/2022-00015</td>
      <td>主题分类：</td><td>综合政务</td></tr>
  <tr><td>发布机构：</td><td>ORG</td><td>发布时间：</td><td>2022-01-21</td></tr>
  <tr><td>文　　号：</td><td></td><td>有效性：</td><td>有效</td></tr>
  <tr><td>标　　题：</td><td colspan="3">ORG2021年政府信息公开工作年度报告</td></tr>
</table></div>
"""
CHROME_AFTER = """
<div class="footer"><p>主办：某某县人民政府办公室　地址：人民路1号　电话：0744-8222222</p>
<p>版权所有　湘ICP备05005744号-2　湘公网安备 43080202000123号</p></div>
<footer><a>网站地图</a> <a>联系我们</a> 访问量：1203</footer>
"""
CHROME_WORDS = [
    "某某县人民政府",
    "首页",
    "2020年",
    "2019年",
    "当前位置",
    "版权所有",
    "0744",
]


def _chrome(case: dict[str, Any]) -> tuple[str, str]:
    return CHROME_BEFORE.replace("ORG", case["organization"]), CHROME_AFTER


def test_chrome_around_a_script_report_is_left_out() -> None:
    """Nav, breadcrumbs, header and footer dropped; the 索引号 table kept as key：value lines."""
    markup, case = _report_markup(HAND)
    before, after = _chrome(case)
    page = _cms_page(SCRIPT_FORMS["let-double"](markup), before=before, after=after)

    text = govdisclosure.html_to_text(page)
    report = govdisclosure.load(page)

    _assert_every_cell(report, case)
    assert "2022-01-21" == report.published
    assert f"{case['organization']}2021年政府信息公开工作年度报告" == report.title
    assert [
        "索引号：11430802MB1234567X/2022-00015",
        "主题分类：综合政务",
        f"发布机构：{case['organization']}",
        "发布时间：2022-01-21",
        "有效性：有效",
        f"标题：{case['organization']}2021年政府信息公开工作年度报告",
    ] == text.splitlines()[:6]
    assert "|" not in "".join(line for line in text.splitlines() if "索引号" in line)
    assert [] == [w for w in CHROME_WORDS if w in text]


def test_an_article_is_preferred_to_what_stands_around_it() -> None:
    """Outside the <article>: its title and byline kept; a sidebar of other years dropped."""
    markup, case = _report_markup(SEED)
    title = f"{case['organization']}{case['year']}年政府信息公开工作年度报告"
    page = (
        "<html><body><div class='wrap'>"
        "<div class='side'><p>相关文章</p><ul>"
        "<li><a>2017年政府信息公开工作年度报告</a></li>"
        "<li><a>2016年政府信息公开工作年度报告</a></li></ul></div>"
        f"<div class='detail-title'>{title}</div>"
        "<div class='byline'>发布时间：2019-03-28　来源：本网　浏览次数：1203</div>"
        f"<article><div class='TRS_Editor'>{markup}</div></article>"
        "<div class='share'><p>分享到：微信 微博</p><p>【打印本页】【关闭窗口】</p></div>"
        "</div></body></html>"
    )

    text = govdisclosure.html_to_text(page)
    report = govdisclosure.load(page)

    _assert_every_cell(report, case)
    assert "2019-03-28" == report.published
    assert text.startswith(f"{title}\n发布时间：2019-03-28")
    assert [] == [w for w in ["相关文章", "2017年", "微博", "打印本页"] if w in text]


def test_chrome_names_never_drop_the_report() -> None:
    """A report table inside an element named like chrome is still read (conservative)."""
    markup, case = _report_markup(HAND)
    page = f"<html><body><div class='header-wrap'>{markup}</div></body></html>"

    _assert_every_cell(govdisclosure.load(page), case)


def test_a_table_of_figures_is_no_metadata_table() -> None:
    page = (
        "<html><body><table><tr><td>单位：万元</td><td>12</td></tr>"
        "<tr><td>其中：</td><td>3</td></tr></table>"
        "<table><tr><td>收到申请：</td><td>12</td><td>办结：</td><td>11</td></tr></table>"
        "<table><tr><td>Published:</td><td>2022-01-21</td>"
        "<td>Source: county office</td></tr></table></body></html>"
    )

    assert (
        "| 单位：万元 | 12 |\n| 其中： | 3 |\n| 收到申请： | 12 | 办结： | 11 |\n"
        "Published: 2022-01-21\nSource: county office\n"
        == govdisclosure.html_to_text(page)
    )


def test_headers_that_may_hold_the_report_are_kept() -> None:
    """An article's own header and footer, and a header holding a heading, are kept."""
    page = (
        "<html><body><div class='head'><h1>某某县2021年政府信息公开工作年度报告</h1></div>"
        "<div class='top-header'><a>登录</a></div>"
        "<article><header><p>发布时间：2022-01-21</p></header><p>正文</p>"
        "<footer><p>某某县交通运输局</p><p>2022年1月20日</p></footer></article>"
        "<div class='foot'><p>版权所有</p></div></body></html>"
    )

    assert (
        "某某县2021年政府信息公开工作年度报告\n发布时间：2022-01-21\n正文\n"
        "某某县交通运输局\n2022年1月20日\n"
    ) == govdisclosure.html_to_text(page)
