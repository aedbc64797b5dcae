"""Across years: the carry-over of applications and the 现行有效 chain, in both national formats.

The values of the generated reports are written here by hand (all zeros but
the table 三 rows named), so every expected number is read off this file.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

import govdisclosure
from govdisclosure.agencies import Agencies, group_agencies
from govdisclosure.faults import FAULTS
from govdisclosure.model import Fault, Value
from govdisclosure.reuse import section_reuse
from govdisclosure.testing import FilledReport, Layout, render

REGISTRY = govdisclosure.Registry(plugins=False)
REAL = Path(__file__).parent / "data" / "real"
ORG = "某某县交通运输局"

#: Year y: 4 new (自然人 3, 商业企业 1), 2 granted, 2 carried forward (自然人).
LAST = {
    "new_requests": [3, 1, 0, 0, 0, 0, 4],
    "granted": [1, 1, 0, 0, 0, 0, 2],
    "processed_total": [1, 1, 0, 0, 0, 0, 2],
    "carry_forward": [2, 0, 0, 0, 0, 0, 2],
}
#: Year y + 1: the 2 carried over, 1 new, all 3 granted.
THIS = {
    "new_requests": [1, 0, 0, 0, 0, 0, 1],
    "carried_over": [2, 0, 0, 0, 0, 0, 2],
    "granted": [3, 0, 0, 0, 0, 0, 3],
    "processed_total": [3, 0, 0, 0, 0, 0, 3],
}


def _values(
    spec_id: str, t3: dict[str, list[int]]
) -> dict[str, dict[str, list[Value]]]:
    spec = REGISTRY.get(spec_id)
    values: dict[str, dict[str, list[Value]]] = {
        t.id: {r.key: [0 for _ in t.column_leaves()] for r in t.row_leaves()}
        for t in spec.tables
    }
    values["t3"].update({row: list(v) for row, v in t3.items()})
    return values


def _load(
    spec_id: str,
    year: int,
    values: dict[str, dict[str, list[Value]]],
    organization: str = ORG,
) -> govdisclosure.Report:
    filled = FilledReport(REGISTRY.get(spec_id), values, year, organization)
    text = render(filled, Layout(cells="pipe"), random.Random(year))
    report = govdisclosure.load(text, spec=spec_id)
    assert (organization, year) == (report.organization, report.year)
    return report


def _pair(
    last_format: str, this_format: str, this_t3: dict[str, list[int]] = THIS
) -> list[govdisclosure.Report]:
    return [
        _load(last_format, 2020, _values(last_format, LAST)),
        _load(this_format, 2021, _values(this_format, this_t3)),
    ]


def test_a_consistent_carry_over_gets_no_finding_in_either_format() -> None:
    for last_format, this_format in [
        ("gov-2019", "gov-2019"),
        ("gov-2021", "gov-2021"),
        ("gov-2019", "gov-2021"),  # the change of format
    ]:
        assert () == govdisclosure.compare(_pair(last_format, this_format))


def test_a_broken_carry_over_is_one_finding_naming_both_reports() -> None:
    """This year's 上年结转 总计 printed 3 where last year carried 2 forward."""
    broken = {**THIS, "carried_over": [2, 0, 0, 0, 0, 0, 3]}
    for last_format, this_format, rule in [
        ("gov-2019", "gov-2019", "Y4"),
        ("gov-2021", "gov-2021", "Y4"),
        ("gov-2019", "gov-2021", "Y5"),
    ]:
        [finding] = govdisclosure.compare(_pair(last_format, this_format, broken))

        assert "across.violated" == finding.code
        assert rule == finding.rule
        assert (3, 2) == (finding.actual, finding.expected)
        assert f"{ORG} 2020→2021" in finding.message
        assert (
            "this.t3.carried_over.total",
            "last.t3.carry_forward.total",
        ) == finding.cells


def _hebei_jyt_2022() -> govdisclosure.Report:
    """The 2022 report of 河北省教育厅, not in the corpus, from the numbers the
    expected files' notes quote: 行政规范性文件 5|17|159, 上年结转 and 结转 all 0."""
    values = _values("gov-2021", {})
    values["t2_1"]["normative_documents"] = [5, 17, 159]
    return _load("gov-2021", 2022, values, organization="河北省教育厅")


def test_the_hebei_education_department_breaks_its_in_force_chain_twice() -> None:
    """181 + 5 − 17 = 169, printed 159; 159 + 3 − 5 = 157, printed 156."""
    reports = [
        govdisclosure.load_file(REAL / "04-hebei-jyt-2021.txt"),
        _hebei_jyt_2022(),
        govdisclosure.load_file(REAL / "12-hebei-jyt-2023.txt"),
    ]

    found = govdisclosure.compare(reports)

    chain = [
        (f.rule, f.actual, f.expected)
        for f in found
        if "normative_documents" in (f.equation or "")
    ]
    assert [("Y1", 159, 169), ("Y1", 156, 157)] == chain
    assert [] == [f for f in found if f.rule in ("Y4", "Y5")]  # 0s carried, 0s found


def test_one_agency_under_two_names_is_one_key() -> None:
    groups = group_agencies(
        [
            "洪泽区人民政府",
            "淮安市洪泽区人民政府",
            "淮安市人民政府",  # the city: another agency
            "省工业和信息化厅",
            "河北省工业和信息化厅",
            "河北省教育厅",
        ]
    )

    assert "淮安市洪泽区人民政府" == groups.keys["洪泽区人民政府"]
    assert "淮安市洪泽区人民政府" == groups.keys["淮安市洪泽区人民政府"]
    assert "淮安市人民政府" == groups.keys["淮安市人民政府"]
    assert "河北省工业和信息化厅" == groups.keys["省工业和信息化厅"]
    assert "河北省教育厅" == groups.keys["河北省教育厅"]
    assert {k for k, _ in groups.merged} == {
        "淮安市洪泽区人民政府",
        "河北省工业和信息化厅",
    }


def test_width_spaces_and_abbreviations_do_not_split_an_agency() -> None:
    groups = group_agencies(
        ["河北省 工信厅", "河北省工业和信息化厅", "ＡＢ县人民政府", "AB县人民政府"]
    )

    assert 2 == len(set(groups.keys.values()))
    assert groups.keys["河北省 工信厅"] == groups.keys["河北省工业和信息化厅"]


def test_a_short_name_two_agencies_may_print_joins_neither() -> None:
    groups = group_agencies(
        ["省工业和信息化厅", "河北省工业和信息化厅", "山东省工业和信息化厅"]
    )

    assert "省工业和信息化厅" == groups.keys["省工业和信息化厅"]
    assert [("省工业和信息化厅", ("山东省工业和信息化厅", "河北省工业和信息化厅"))] == [
        (n, o) for n, o in groups.undecided
    ]


def test_the_agency_table_is_extended_by_the_user(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text("aliases:\n  县交通局: 某某县交通运输局\n", encoding="utf-8")
    table = Agencies.load(extra)

    groups = group_agencies(["县交通局", ORG], table)

    assert ORG == groups.keys["县交通局"]
    with pytest.raises(govdisclosure.SpecError, match="unknown keys"):
        Agencies.load(extra, table).extended({"provinse": ["X"]})


def test_the_industry_department_reports_are_one_agency() -> None:
    """03 and 09 print 河北省工业和信息化厅, 05 only 省工业和信息化厅."""
    reports = [
        govdisclosure.load_file(REAL / f"{name}.txt")
        for name in ("03-hebei-gxt-2019", "09-hebei-gxt-2020", "05-hebei-gxt-2022")
    ]
    assert "省工业和信息化厅" == reports[2].organization

    found = govdisclosure.compare(reports)

    [merged] = [f for f in found if f.code == "across.merged"]
    assert "河北省工业和信息化厅" in merged.message
    assert (
        "省工业和信息化厅、" in merged.message or "、省工业和信息化厅" in merged.message
    )


def _hebei_gxt(year: int, normative_documents: list[int]) -> govdisclosure.Report:
    """河北省工业和信息化厅's report of ``year`` (2021 or 2023, not in the corpus),
    from the numbers 05-hebei-gxt-2022's expected notes quote: 5225 = 5|2|25 (2021)
    and 1126 = 1|1|26 (2023); table 三 carries nothing over, as 05 does."""
    values = _values("gov-2021", {})
    values["t2_1"]["normative_documents"] = list(normative_documents)
    return _load("gov-2021", year, values, organization="河北省工业和信息化厅")


def _gxt_2022(neighbours: list[govdisclosure.Report]) -> govdisclosure.Report:
    text = (REAL / "05-hebei-gxt-2022.txt").read_text(encoding="utf-8")
    return govdisclosure.decide_by_neighbours(text, neighbours)


def _normative(report: govdisclosure.Report) -> list[tuple[Value, str]]:
    t2 = report.table("t2_1")
    return [
        (
            t2.cell("normative_documents", c).value,
            t2.cell("normative_documents", c).status.value,
        )
        for c in ("issued", "repealed", "in_force")
    ]


def test_the_neighbouring_years_decide_a_glued_row() -> None:
    """行政规范性文件5426 is 5|4|26, 5|42|6 or 54|2|6; 2021's 25 in force and
    2023's 26 (1 issued, 1 repealed) leave only 5|4|26 through rule Y1."""
    alone = govdisclosure.load_file(REAL / "05-hebei-gxt-2022.txt")
    assert ["ambiguous"] * 3 == [status for _, status in _normative(alone)]

    for neighbours in (
        [_hebei_gxt(2021, [5, 2, 25]), _hebei_gxt(2023, [1, 1, 26])],
        [_hebei_gxt(2021, [5, 2, 25])],
        [_hebei_gxt(2023, [1, 1, 26])],
    ):
        report = _gxt_2022(neighbours)

        assert [(5, "inferred"), (4, "inferred"), (26, "inferred")] == _normative(
            report
        )
        reason = report.table("t2_1").cell("normative_documents", "issued").reason or ""
        assert "Y1" in reason
        assert "河北省工业和信息化厅's 20" in reason
        [note] = [f for f in report.findings if f.code == "across.neighbours"]
        assert "t2_1.normative_documents.in_force" in note.cells
        # every other cell as the text alone reads it
        assert [c for c in alone.cells if "normative" not in c.key] == [
            c for c in report.cells if "normative" not in c.key
        ]


def test_a_neighbour_never_overrides_what_the_text_decides() -> None:
    """A 2023 report whose chain fits no reading of 5426 (in force 30) decides nothing."""
    report = _gxt_2022([_hebei_gxt(2023, [1, 1, 30])])

    assert ["ambiguous"] * 3 == [status for _, status in _normative(report)]
    t4 = report.table("t4")
    assert 1 == t4.cell("cases", "review_upheld").value  # the text's own, untouched


@pytest.mark.parametrize("order", [(2021, 2023), (2023, 2021)])
def test_neighbours_that_contradict_each_other_decide_nothing(
    order: tuple[int, int],
) -> None:
    """2021 (25 in force) gives 5|4|26; a 2023 printing 1|1|6 gives in force 6
    (54|2|6 or 5|42|6): each alone fits a reading of 5426, together none. Which
    year is wrong the text cannot tell, so neither decides, in either order."""
    given = {2021: _hebei_gxt(2021, [5, 2, 25]), 2023: _hebei_gxt(2023, [1, 1, 6])}

    report = _gxt_2022([given[year] for year in order])

    assert ["ambiguous"] * 3 == [status for _, status in _normative(report)]
    [disagree] = [f for f in report.findings if f.code == "across.neighbours_disagree"]
    assert disagree.fault.value == "report"
    assert "t2_1.normative_documents.in_force" in disagree.cells
    assert not [f for f in report.findings if f.code == "across.neighbours"]


def test_a_neighbour_of_another_agency_or_year_is_no_evidence() -> None:
    other = _hebei_gxt(2023, [1, 1, 26])
    far = _hebei_gxt(2024, [1, 1, 26])
    stranger = _values("gov-2021", {})
    stranger["t2_1"]["normative_documents"] = [1, 1, 26]

    report = _gxt_2022([far, _load("gov-2021", 2023, stranger, "河北省教育厅")])

    assert ["ambiguous"] * 3 == [status for _, status in _normative(report)]
    assert other.year == 2023


def test_every_code_the_library_raises_has_its_fault_documented() -> None:
    """`faults.FAULTS` is the one declaration; docs/findings.md gives each code's class."""
    package = Path(govdisclosure.__file__).parent
    raised = {
        code
        for path in package.rglob("*.py")
        for code in re.findall(
            r'"((?:invariant|decode|token|label|row|header|table|section|spec|year|'
            r'narrative|input|across|correction|file)\.[a-z_]+)"',
            path.read_text("utf-8"),
        )
    } | {"metadata.title_unknown", "metadata.organization_unknown"}
    docs = (package.parent / "docs" / "findings.md").read_text("utf-8")
    documented = dict(
        re.findall(
            r"^\| `([a-z_]+\.[a-z_]+)` \| [^|]+ \| (report|reader|none) \|", docs, re.M
        )
    )

    assert raised - {"row.column"} <= set(FAULTS)
    assert {code: fault.value for code, fault in FAULTS.items()} == documented


def test_check_prints_report_faults_and_reader_limits_apart(tmp_path: Path) -> None:
    """A broken equation is the report's fault (exit 1); a table not read the reader's (exit 3)."""
    values = _values("gov-2021", THIS)
    values["t3"]["granted"][0] = 4  # 予以公开 自然人 4 against （七）总计 3
    broken = tmp_path / "broken.txt"
    filled = FilledReport(REGISTRY.get("gov-2021"), values, 2021, ORG)
    broken.write_text(render(filled, Layout(cells="pipe"), random.Random(1)), "utf-8")

    run = subprocess.run(
        [sys.executable, "-m", "govdisclosure", "check", "--jobs", "1", str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert 1 == run.returncode
    lines = [x for x in run.stdout.splitlines() if x.startswith(f"{broken}: ")]
    assert lines
    assert all(x.endswith("[report fault]") for x in lines if "broken in" in x)
    report = govdisclosure.load_file(broken)
    assert {Fault.REPORT} == {
        f.fault for f in report.findings if f.code == "invariant.violated"
    }


REWRITTEN_S1 = (
    "本年度，我厅把信息公开作为转变作风的重要抓手，围绕招生考试、学位授予、教师资格等群众关切事项，"
    "逐项梳理公开清单，明确责任处室和办理时限。我们改版了门户网站的公开栏目，把办事指南、收费依据和"
    "监督电话集中放在首页显著位置，方便查找。对依申请公开，建立了受理、会商、审核、答复四个环节的台账，"
    "每件申请都有专人跟踪。全年组织两次业务培训，邀请法律顾问讲解答复文书的写法，各处室联络员全部参加。"
)
REWRITTEN_S6 = "本年度我厅在全省政务公开考核中位列前列，相关经验被省政务公开办转发推广，供各地各部门学习借鉴。"


def _next_year_of_12(text: str) -> str:
    """12-hebei-jyt-2023 as a 2024 report: 一 and 六 rewritten (by hand, above),
    五 copied verbatim, every 2023 made 2024 (digits do not count anyway)."""
    one, two = text.index("一、总体情况"), text.index("二、主动公开政府信息情况")
    six, sign = text.index("六、其他需要报告的事项"), text.index("\r\r河北省教育厅")
    text = (
        text[: one + 6]
        + "\r"
        + REWRITTEN_S1
        + "\r"
        + text[two : six + 11]
        + "\r"
        + REWRITTEN_S6
        + text[sign:]
    )
    return text.replace("2023", "2024")


def test_a_section_copied_verbatim_is_reuse_a_rewritten_one_is_not() -> None:
    raw = (REAL / "12-hebei-jyt-2023.txt").read_bytes().decode("utf-8")  # CRs kept
    last = govdisclosure.load(raw)
    this = govdisclosure.load(_next_year_of_12(raw))
    assert (2024, last.organization) == (this.year, this.organization)

    shares = {p.section: p for p in section_reuse(this, last, ["s1", "s5", "s6"])}

    assert shares["s5"].share > 0.99
    assert shares["s1"].share < 0.05
    # 六's only repeated passage is the signature the section ends with
    six = this.section("s6").text
    [(start, end)] = shares["s6"].passages
    assert "河北省教育厅" in six[start:end]
    assert REWRITTEN_S6[:-1] not in six[start - 1 : end]
    assert six.index("河北省教育厅") - start <= 2
    five = this.section("s5").text
    [(start, end)] = shares["s5"].passages
    assert five[start:end].startswith("一年来")
    assert five[start:end].endswith("切实提升教育领域信息公开水平。")

    [finding] = [
        f for f in govdisclosure.compare([last, this]) if f.code == "across.reused"
    ]
    assert "s5" == finding.rule
    assert Fault.REPORT is finding.fault
    assert "五、存在的主要问题及改进情况 repeats 100%" in finding.message
    assert [] == [
        f
        for f in govdisclosure.compare([last, this], reuse_threshold=None)
        if f.code == "across.reused"
    ]
