"""``python -m govdisclosure FILE``: the viewer and its exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from govdisclosure.cli import main

SEEDS = Path(__file__).parent / "data" / "seeds"


def test_viewer_shows_tables_and_units(capsys: pytest.CaptureFixture[str]) -> None:
    """The grid shows values, amounts with their unit, and flagged cells marked.

    Its 二（八） is undecided (golden case seed-004; its 四 is all 0 by the
    non-negative counts convention), so the report is not fully read: exit 3,
    and a line says what was not read.
    """
    code = main([str(SEEDS / "004_c493ddf6db4f273e.txt")])
    out = capsys.readouterr().out

    assert 3 == code
    assert "read: not fully read: " in out
    assert "196 of 198 cells decided (99%): t2_8 0/2 decided" in out
    assert "year: 2020" in out
    # official labels by default (docs/cli.md), values under their headers
    assert re.search(r"^行政许可\s+3\s+0\s+110$", out, re.M), out
    assert re.search(r"^行政事业性收费\s+\?\s+\?$", out, re.M), out

    main([str(SEEDS / "004_c493ddf6db4f273e.txt"), "--labels", "keys"])
    out = capsys.readouterr().out
    assert re.search(r"^administrative_license\s+3\s+0\s+110$", out, re.M), out


def test_amount_unit_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints the whole Report; amounts keep their unit."""
    main([str(SEEDS / "000_3691493a38efce86.txt")])
    assert re.search(
        r"^政府集中采购\s+561\s+6119919.29元$", capsys.readouterr().out, re.M
    )

    main([str(SEEDS / "000_3691493a38efce86.txt"), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert "gov-2019" == data["format"]


def test_unreadable_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that is no report: a one-line error and exit code 2."""
    path = tmp_path / "note.txt"
    path.write_text("一份普通的通知", encoding="utf-8")

    assert 2 == main([str(path)])
    assert "does not look like an annual report" in capsys.readouterr().err


ROOT = Path(__file__).parent.parent
BUNDLED = sorted((ROOT / "specs").glob("*.yaml"))


def test_specs_list_names_every_spec_and_its_origin(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`specs list`: one line per spec, with where it was read from."""
    assert 0 == main(["specs", "list"])
    out = capsys.readouterr().out.splitlines()

    assert {p.stem for p in BUNDLED} == {line.split()[0] for line in out}
    assert all(line.endswith("(bundled)]") for line in out)


def _edited_2019(path: Path, old: str, new: str) -> Path:
    """A copy of the bundled gov-2019 spec with one text replaced, at ``path``."""
    text = (ROOT / "specs" / "gov-2019.yaml").read_text("utf-8")
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def test_bundled_specs_pass_specs_check(capsys: pytest.CaptureFixture[str]) -> None:
    """`specs check` accepts every shipped spec."""
    assert 0 == main(["specs", "check", *map(str, BUNDLED)])
    assert len(BUNDLED) == capsys.readouterr().out.count(": ok (")


def test_specs_check_reports_a_broken_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken spec: exit 1 and the located problem on stderr."""
    broken = _edited_2019(
        tmp_path / "broken.yaml", "id: gov-2019", "id: broken\nversoin: 2"
    )

    assert 1 == main(["specs", "check", str(broken)])
    assert (
        f"{broken}:6:1: unknown field 'versoin' in the spec's top level; "
        "fix: did you mean 'version'?"
    ) in capsys.readouterr().err


@pytest.mark.parametrize("spec", BUNDLED, ids=lambda p: p.stem)
def test_bundled_specs_pass_specs_test(
    spec: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`specs test` runs each shipped spec against its golden cases."""
    cases = ROOT / "tests" / "golden" / "cases" / spec.stem

    assert 0 == main(["specs", "test", str(spec), "--examples", str(cases)])
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.endswith("cases pass")
    assert last.split()[0] == last.split()[2]


def test_specs_test_fails_on_a_wrong_expected_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A case whose typed value differs: FAIL, the cell named, exit 1."""
    case = ROOT / "tests" / "golden" / "cases" / "gov-2019" / "seed-001.expected.yaml"
    text = case.read_text("utf-8").replace(
        "input: ../../../data/", f"input: {ROOT / 'tests' / 'data'}/"
    )
    (tmp_path / "seed-001.expected.yaml").write_text(
        text.replace("rules: [", "rules: [9", 1), "utf-8"
    )

    assert 1 == main(
        [
            "specs",
            "test",
            str(ROOT / "specs" / "gov-2019.yaml"),
            "--examples",
            str(tmp_path),
        ]
    )
    out = capsys.readouterr().out
    assert "FAIL" in out
    assert "t2_1.rules." in out
    assert out.rstrip().endswith("0 of 1 cases pass")


def test_specs_test_uses_the_given_file_over_a_registered_spec_of_its_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An edited copy of a bundled spec is the one tested, and the user is told."""
    copy = _edited_2019(tmp_path / "gov-2019.yaml", "规章", "规定章程")
    cases = ROOT / "tests" / "golden" / "cases" / "gov-2019"

    assert 1 == main(["specs", "test", str(copy), "--examples", str(cases)])
    out = capsys.readouterr().out
    assert out.startswith("note: 'gov-2019' is also registered from ")
    assert "t2_1.rules.total_published: expected blank None, got missing None" in out


def test_explain_shows_each_step(capsys: pytest.CaptureFixture[str]) -> None:
    """Seed 004's 2.8 row is ambiguous: explain shows its tokens, candidates and why."""
    assert 0 == main(["explain", str(SEEDS / "004_c493ddf6db4f273e.txt")])
    out = capsys.readouterr().out

    for step in (
        "== 1. normalised lines",
        "== 2. sections (spec gov-2019",
        "== 3. token grids",
        "== 4. figures stated in the prose (2)",
        "== 5. cells",
        "== 6. findings",
    ):
        assert step in out
    # 004's section 一 says no application was received and no suit brought
    assert "  N1: 0 = t3.new_requests.total | line " in out
    assert "  s3   收到和处理政府信息公开申请情况: lines 134-301" in out
    assert "label  规章  -> t2_1 row rules" in out
    (fee,) = [
        line for line in out.splitlines() if "t2_8.administrative_fees.change " in line
    ]
    assert "ambiguous" in fee
    assert "candidates 0, None" in fee
    # the rules row is blank in this report; 规范性文件's first 0 is on line 45
    assert "t2_1.rules.new_made blank" in out
    assert "t2_1.normative_documents.new_made ok 0 | raw '0' | line 45," in out


def test_explain_of_a_missing_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert 2 == main(["explain", str(tmp_path / "nope.txt")])
    # the path said once (before: nope.txt: nope.txt: cannot read: … 'nope.txt')
    expected = f"govdisclosure: error: {tmp_path / 'nope.txt'}: no such file\n"
    assert expected == capsys.readouterr().err


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["show"],
        ["explain"],
        ["parse"],
        ["check"],
        ["specs"],
        ["specs", "list"],
        ["specs", "check"],
        ["specs", "test"],
        ["specs", "schema"],
    ],
)
def test_every_command_has_help_with_an_example(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert 0 == main([*command, "--help"])  # main returns the code, even for --help
    assert "example" in capsys.readouterr().out


def test_colour_on_a_terminal_only(capsys: pytest.CaptureFixture[str]) -> None:
    """Flagged cells are yellow on a terminal; piped output has no escape codes."""
    from govdisclosure import load_file
    from govdisclosure.cli.views import render

    report = load_file(SEEDS / "004_c493ddf6db4f273e.txt")
    (fees,) = [
        line
        for line in render(report, color=True, labels="keys").splitlines()
        if "administrative_fees" in line
    ]
    assert re.search(r"\x1b\[33m +\?\x1b\[0m +\x1b\[33m +\?\x1b\[0m$", fees), fees

    main([str(SEEDS / "004_c493ddf6db4f273e.txt")])  # captured: not a terminal
    assert "\x1b[" not in capsys.readouterr().out


# ---- check's verdicts (docs/cli.md): 0 clean, 1 broken, 2 failed, 3 not fully read ----

DATA = Path(__file__).parent / "data"
PIPE = DATA / "handwritten" / "gov2021-pipe.txt"
NEW_REQUESTS = "一、本年新收政府信息公开申请数量 | 40 | 5 | 0 | 1 | 2 | 0 | 48 |"


def _broken_copy(tmp_path: Path) -> Path:
    """The handwritten 2021 report (every cell typed) with 本年新收 总计 48 → 49."""
    text = PIPE.read_text("utf-8")
    assert NEW_REQUESTS in text
    path = tmp_path / "broken.txt"
    path.write_text(
        text.replace(NEW_REQUESTS, NEW_REQUESTS.replace("48", "49")), "utf-8"
    )
    return path


def _check(paths: list[Path], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """The exit code, and stdout (a line per report) followed by stderr (the summary)."""
    code = main(["check", *map(str, paths), "--jobs", "1"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_check_a_clean_report(capsys: pytest.CaptureFixture[str]) -> None:
    """Every cell decided, every equation holding: exit 0 and no report line."""
    code, out = _check([PIPE], capsys)

    assert 0 == code
    assert [
        "0 report(s) with errors, 0 not fully read, 0 could not be parsed"
    ] == out.splitlines()


def test_check_a_broken_equation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A sum that does not hold: exit 1, the equation on a line of its own."""
    broken = _broken_copy(tmp_path)

    code, out = _check([broken], capsys)

    assert 1 == code
    assert f"{broken}: I1 broken in t3" in out
    assert "1 report(s) with errors, 0 not fully read" in out


def test_check_an_unread_table(capsys: pytest.CaptureFixture[str]) -> None:
    """seed 004: its 二（八） undecided (golden case: '?'): exit 3 and what was not read."""
    seed = SEEDS / "004_c493ddf6db4f273e.txt"

    code, out = _check([seed], capsys)

    assert 3 == code
    line = next(x for x in out.splitlines() if x.startswith(f"{seed}: "))
    assert "not fully read: " in line
    assert "t2_8 0/2 decided" in line
    assert "t4" not in line  # ten zeros for fifteen cells: every count is 0
    assert "0 report(s) with errors, 1 not fully read" in out


def test_check_a_missing_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Section 四 cut out of the handwritten report: exit 3, t4 not in the text."""
    text = PIPE.read_text("utf-8")
    cut = tmp_path / "cut.txt"
    cut.write_text(text[: text.index("四、")] + text[text.index("五、") :], "utf-8")

    code, out = _check([cut], capsys)

    assert 3 == code
    assert "t4 0/15 decided (not in the text)" in out


def test_check_a_report_without_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    """A 2008-regulation report: nothing checked, so not clean: exit 3."""
    report = DATA / "real" / "13-hebei-jyt-2014.txt"

    code, out = _check([report], capsys)

    assert 3 == code
    assert f"{report}: no statutory table (gov-2008)" in out


def test_check_an_unreadable_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that is no report: exit 2, whatever the others say."""
    note = tmp_path / "note.txt"
    note.write_text("一份普通的通知", encoding="utf-8")

    code, out = _check(
        [note, _broken_copy(tmp_path), SEEDS / "004_c493ddf6db4f273e.txt"], capsys
    )

    assert 2 == code
    assert "1 report(s) with errors, 1 not fully read, 1 could not be parsed" in out


def test_check_broken_beats_not_fully_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Wrong numbers matter more than unread ones: 1, and both lines printed."""
    code, out = _check(
        [_broken_copy(tmp_path), SEEDS / "004_c493ddf6db4f273e.txt"], capsys
    )

    assert 1 == code
    assert "I1 broken in t3" in out
    assert "not fully read" in out


def test_show_a_report_without_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    """The viewer lists the prose's figures and says nothing was checked: exit 3."""
    code = main([str(DATA / "real" / "02-hebei-jyt-2018.txt")])
    out = capsys.readouterr().out

    assert 3 == code
    assert "format: gov-2008" in out
    assert "proactive_published = 1683条" in out
    assert "read: no statutory table (gov-2008)" in out
