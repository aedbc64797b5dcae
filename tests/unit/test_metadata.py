"""Tests for `read_metadata`: title, organisation, year and date from every place a report states them.

Expected values are read by hand from the texts (the hand-made ones below, and
the real reports' own words, quoted beside each case).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from attrs import evolve

from govdisclosure.model import Finding
from govdisclosure.pipeline.metadata import Metadata, fold_spaces, read_metadata
from govdisclosure.pipeline.normalize import normalize_text
from govdisclosure.pipeline.read import read_text
from govdisclosure.pipeline.sections import locate_sections
from govdisclosure.spec.check import check_spec
from govdisclosure.spec.model import Spec

BODY = "\n二、主动公开政府信息情况\n正文。\n"


def _read(text: str, spec: Spec) -> tuple[Metadata, list[Finding]]:
    return read_metadata(locate_sections(normalize_text(text), spec), spec)


def _codes(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


def test_title_line_gives_title_organisation_and_year(spec2019: Spec) -> None:
    text = (
        "某某市统计局2020年政府信息公开工作年度报告\n一、总体情况\n2020年，本局……"
        + BODY
    )

    meta, findings = _read(text, spec2019)

    assert "某某市统计局2020年政府信息公开工作年度报告" == meta.title
    assert ("某某市统计局", 2020) == (meta.organization, meta.year)
    assert set() == _codes(findings)


def test_crawler_header_gives_the_value_never_the_key(spec2019: Spec) -> None:
    text = (
        "标题: 某某县民政局2021年政府信息公开工作年度报告\n"
        "发布时间: 2022-01-10 09:00\n"
        "发布机构: \n"
        "栏目: 政府信息公开年报\n"
        "原文链接: https://example.gov.cn/a.htm\n"
        "一、总体情况\n统计期限自2021年1月1日至2021年12月31日。" + BODY
    )

    meta, _ = _read(text, spec2019)

    assert "某某县民政局2021年政府信息公开工作年度报告" == meta.title
    # 发布机构 is empty: the next line's key 栏目 is no organisation
    assert "某某县民政局" == meta.organization
    assert (2021, "2022-01-10") == (meta.year, meta.published)


def test_markdown_heading_before_the_title(spec2019: Spec) -> None:
    text = (
        "# 某某区教育局2019年政府信息公开工作年度报告\n\n一、总体情况\n2019年，……"
        + BODY
    )

    meta, _ = _read(text, spec2019)

    assert "某某区教育局2019年政府信息公开工作年度报告" == meta.title
    assert "某某区教育局" == meta.organization


def test_title_glued_to_a_narrative_fragment(spec2019: Spec) -> None:
    text = (
        "某某区教育局2019年政府信息公开工作年度报告根据《条例》规定，编制本报告。\n"
        "一、总体情况\n2019年，……" + BODY
    )

    meta, _ = _read(text, spec2019)

    assert "某某区教育局2019年政府信息公开工作年度报告" == meta.title
    assert "某某区教育局" == meta.organization


def test_signature_at_the_end_gives_organisation_and_date(spec2019: Spec) -> None:
    # the preamble names the organisation only as 我厅: a reference, no name
    text = (
        "根据《中华人民共和国政府信息公开条例》和省政府有关政府信息公开的要求，"
        "我厅编写了2019年政府信息公开工作年度报告。\n"
        "一、总体情况\n全年发布信息733条。\n"
        "五、存在的主要问题及改进情况\n下一步，我们将继续努力。\n\n\n某某省农业农村厅\n2020年1月15日\n"
    )

    meta, findings = _read(text, spec2019)

    assert "某某省农业农村厅" == meta.organization
    assert (2019, "2020-01-15") == (meta.year, meta.published)
    assert "metadata.organization_unknown" not in _codes(findings)


def test_signature_glued_after_the_last_sentence(spec2019: Spec) -> None:
    text = (
        "2018年，省某厅坚决落实部署。\n一、总体情况\n培训人员300余人。"
        "某某省人力资源和社会保障厅2019年1月30日更多信息请关注官方微信“某某人社”"
    )

    meta, _ = _read(text, spec2019)

    assert "某某省人力资源和社会保障厅" == meta.organization
    assert (2018, "2019-01-30") == (meta.year, meta.published)


def test_pdf_spaces_between_digits_and_han_are_no_obstacle(spec2019: Spec) -> None:
    text = (
        "某 某 市人民政府\n"
        "2024 年政府信息公开工作年度报告\n"
        "本报告所列统计期限自 2024 年 1 月 1 日至 2024 年 12 月 31 日。\n"
        "一、总体情况\n2024 年，我市公开信息 5500 余条。" + BODY
    )

    meta, _ = _read(text, spec2019)

    assert "某某市人民政府2024年政府信息公开工作年度报告" == meta.title
    assert ("某某市人民政府", 2024, 2024) == (
        meta.organization,
        meta.year,
        meta.title_year,
    )


def test_fold_spaces_keeps_digits_apart_and_paragraph_breaks() -> None:
    assert "2024年1月1日, 12 31" == fold_spaces("2024 年 1 月 1 日, 12 31")
    assert "淮安市  2024年" == fold_spaces("淮 安 市  2024 年")


def test_a_preamble_sentence_is_refused_as_an_organisation(spec2019: Spec) -> None:
    # the old reading: the text before "2019年政府信息公开" taken as a name
    text = (
        "根据《中华人民共和国政府信息公开条例》和省政府有关政府信息公开的要求，"
        "我厅编写了2019年政府信息公开工作年度报告。\n"
        "一、总体情况\n（一）主动公开。全年发布信息733条。" + BODY
    )

    meta, findings = _read(text, spec2019)

    assert (None, None, 2019) == (meta.organization, meta.title, meta.year)
    [unknown] = [f for f in findings if f.code == "metadata.organization_unknown"]
    assert "'我厅'" in unknown.message  # what was refused is said
    assert "metadata.title_unknown" in _codes(findings)


def test_a_sentence_is_refused_as_a_title(spec2019: Spec) -> None:
    loose = evolve(
        spec2019,
        metadata=evolve(spec2019.metadata, title_patterns=(r"^(?P<title>.*报告.*)$",)),
    )
    text = "根据《条例》，编写了本报告。\n一、总体情况\n2019年，……" + BODY

    meta, findings = _read(text, loose)

    assert meta.title is None
    [unknown] = [f for f in findings if f.code == "metadata.title_unknown"]
    assert "'根据《条例》,编写了本报告。'" in unknown.message


def test_a_key_alone_is_no_organisation(spec2019: Spec) -> None:
    text = "发布机构: 栏目: 年报\n一、总体情况\n2019年，……" + BODY

    meta, findings = _read(text, spec2019)

    assert meta.organization is None
    assert "metadata.organization_unknown" in _codes(findings)


def test_year_from_the_first_sentence_of_section_one(spec2019: Spec) -> None:
    # 08: the year is printed only in 一's opening "2020年以来，…"
    text = "\n一、总体情况  2020年以来，某某省科学技术厅深入贯彻部署。" + BODY

    meta, _ = _read(text, spec2019)

    assert (2020, "某某省科学技术厅") == (meta.year, meta.organization)


# ---- the real reports --------------------------------------------------------------

REAL = Path(__file__).parent.parent / "data" / "real"  # copies of ../shared/corpus/real

# (file, year, part of the organisation's name), read by hand from each report:
# where the year and the organisation are printed is quoted beside each.
REAL_CASES = [
    (
        "01-hebei-kjt-2015.txt",
        2015,
        "科学技术厅",
    ),  # 统计数据时限为2015年1月1日; signature
    ("02-hebei-jyt-2018.txt", 2018, "教育厅"),  # 统计期限自2018年1月1日; signature
    (
        "03-hebei-gxt-2019.txt",
        2019,
        "工业和信息化厅",
    ),  # 编写了《河北省工业和信息化厅2019年度…报告》
    ("04-hebei-jyt-2021.txt", 2021, "教育厅"),  # 发布河北省教育厅2021年…; signature
    ("05-hebei-gxt-2022.txt", 2022, "工业和信息化厅"),  # 2022年，省工业和信息化厅坚持…
    ("06-hebei-jyt-2019.txt", 2019, "教育厅"),  # signature 河北省教育厅 2020年1月15日
    ("07-hebei-jyt-2018-stats.txt", None, None),  # a bare table: no year, no name
    (
        "08-hebei-kjt-2020.txt",
        2020,
        "科学技术厅",
    ),  # 一、总体情况 2020年以来，河北省科学技术厅…
    (
        "09-hebei-gxt-2020.txt",
        2020,
        "工业和信息化厅",
    ),  # title glued to the first paragraph
    ("10-hebei-kjt-2022.txt", 2022, "科学技术厅"),  # 2022年，河北省科学技术厅坚持…
    ("11-hebei-kjt-2023.txt", 2023, "科学技术厅"),
    ("12-hebei-jyt-2023.txt", 2023, "教育厅"),
    ("13-hebei-jyt-2014.txt", 2014, "教育厅"),
    (
        "14-hebei-rst-2018.txt",
        2018,
        "人力资源和社会保障厅",
    ),  # signature glued to the text
    ("15-cnipa-2015.txt", 2015, "国家知识产权局"),  # 统计期间为2015年1月1日
    ("16-cnipa-2016.txt", 2016, "国家知识产权局"),
    ("17-cnipa-2017.txt", 2017, "国家知识产权局"),
    (
        "18-huaian-2024.pdf",
        2024,
        "淮安市人民政府",
    ),  # PDF: "淮安市人民政府" / "2024 年…报告"
]


@pytest.mark.parametrize(
    ("name", "year", "organization"), REAL_CASES, ids=[c[0] for c in REAL_CASES]
)
def test_real_report_metadata(
    name: str, year: int | None, organization: str | None, spec2019: Spec
) -> None:
    """Year and organisation of every real report, read on its located sections.

    The narrative-only reports (01, 02, 13–17) are read with gov-2019's
    sections: metadata does not need their tables.
    """
    path = REAL / name
    if path.suffix == ".pdf":
        pytest.importorskip("pypdfium2")

    meta, _ = _read(read_text(path).text, spec2019)

    assert year == meta.year
    if organization is None:
        assert meta.organization is None
    else:
        assert meta.organization is not None
        assert organization in meta.organization


# ---- the spec check of metadata patterns -------------------------------------------


def test_metadata_patterns_without_their_groups_are_problems(spec2019: Spec) -> None:
    meta = evolve(
        spec2019.metadata,
        organization_patterns=("发布机构:(.+)",),
        signature_patterns=(r"(?P<org>\S+厅)\s*(?P<year>20\d{2})年",),
        header_keys=("标题:",),
    )

    problems = check_spec(evolve(spec2019, metadata=meta))

    assert {
        ("$.metadata.organization_patterns[0]", "has no group 'org'"),
        ("$.metadata.signature_patterns[0]", "has no group 'day'"),
        ("$.metadata.signature_patterns[0]", "has no group 'month'"),
        ("$.metadata.header_keys[0]", "holds a colon"),
    } == {
        (p.path, part)
        for p in problems
        for part in (
            "has no group 'org'",
            "has no group 'day'",
            "has no group 'month'",
            "holds a colon",
        )
        if part in p.what
    }


def test_bundled_specs_pass_the_metadata_check(spec2019: Spec) -> None:
    assert [] == check_spec(spec2019)
