"""Spec discovery: bundled, plugins (entry points), GOVDISCLOSURE_SPEC_PATH, caller
folders; ids are unique; slow spec patterns cannot hang a load."""

from __future__ import annotations

import os
import time
from importlib import metadata
from pathlib import Path

import pytest

import govdisclosure
from govdisclosure import Registry, SpecError
from govdisclosure.spec.registry import ENTRY_POINT_GROUP, ENV_VAR, bundled_spec_dir

DATA = Path(__file__).parent.parent / "data"

# A 2021 variant that only renames the spec: enough to see where it came from.
VARIANT = "schema: 1\nid: {id}\nextends: gov-2021\ntitle: 变体\n"


def _folder(tmp_path: Path, spec_id: str) -> Path:
    folder = tmp_path / spec_id
    folder.mkdir()
    (folder / f"{spec_id}.yaml").write_text(VARIANT.format(id=spec_id), "utf-8")
    return folder


def test_environment_variable_folders_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GOVDISCLOSURE_SPEC_PATH lists folders (os.pathsep); their specs are registered."""
    one, two = _folder(tmp_path, "env-one"), _folder(tmp_path, "env-two")
    monkeypatch.setenv(ENV_VAR, f"{one}{os.pathsep}{two}")

    registry = Registry(plugins=False)

    assert {"env-one", "env-two"} <= set(registry.ids())
    assert registry.origin("env-one").endswith(f"env-one.yaml ({ENV_VAR})")
    assert "变体" == registry.get("env-two").title
    assert registry.get("gov-2021").tables == registry.get("env-two").tables


def test_caller_paths_come_last_and_may_not_redefine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An id seen in the environment and again in a caller's folder is an error."""
    monkeypatch.setenv(ENV_VAR, str(_folder(tmp_path, "same")))
    again = tmp_path / "again"
    again.mkdir()
    (again / "x.yaml").write_text(VARIANT.format(id="same"), "utf-8")

    with pytest.raises(
        SpecError,
        match=r"'same' from .*x\.yaml is already registered from .*same\.yaml \(GOVDISCLOSURE_SPEC_PATH\)",
    ):
        Registry([again], plugins=False)


def test_load_with_spec_paths_can_choose_a_listed_spec(tmp_path: Path) -> None:
    """load(spec_paths=...) adds folders; spec= may then name their specs."""
    folder = _folder(tmp_path, "listed-2021")
    text = (DATA / "handwritten" / "gov2021-pipe.txt").read_text("utf-8")

    report = govdisclosure.load(text, spec="listed-2021", spec_paths=[folder])

    assert "listed-2021" == report.format
    assert (
        1532 == report.table("t2_5").cell("administrative_license", "decisions").value
    )


def test_missing_spec_path_is_an_error(tmp_path: Path) -> None:
    """A listed path that does not exist is named, not skipped."""
    with pytest.raises(SpecError, match="no such spec file or folder"):
        Registry([tmp_path / "nope"], plugins=False, environment=False)


class _EntryPoint:
    def __init__(self, name: str, target: object) -> None:
        self.name, self.value, self._target = name, f"fake:{name}", target

    def load(self) -> object:
        if isinstance(self._target, Exception):
            raise self._target
        return self._target


def test_plugins_are_found_by_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry point may give a folder or a function returning one."""
    folder_a, folder_b = _folder(tmp_path, "plug-a"), _folder(tmp_path, "plug-b")
    points = [_EntryPoint("b", lambda: folder_b), _EntryPoint("a", str(folder_a))]

    def fake(group: str) -> list[_EntryPoint]:
        assert ENTRY_POINT_GROUP == group
        return points

    monkeypatch.setattr(metadata, "entry_points", fake)
    registry = Registry(environment=False)

    assert ("plug-a", "plug-b") == registry.ids()[-2:]  # sorted by entry-point name
    assert "plugin 'a' (fake:a)" in registry.origin("plug-a")


def test_a_broken_plugin_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plugin that cannot be imported is a SpecError naming it, with the fix."""
    monkeypatch.setattr(
        metadata,
        "entry_points",
        lambda group: [_EntryPoint("bad", ImportError("no module x"))],
    )

    with pytest.raises(SpecError) as info:
        Registry(environment=False)

    assert (
        "plugin 'bad' (fake:bad) cannot be loaded: ImportError: no module x; "
        "fix: reinstall or uninstall that package"
    ) == str(info.value)


def test_catastrophic_pattern_does_not_hang_load(tmp_path: Path) -> None:
    """A backtracking title pattern times out once, is skipped, and is reported."""
    spec_file = tmp_path / "slow.yaml"
    spec_file.write_text(
        VARIANT.format(id="slow") + "metadata:\n  title_patterns: ['^(a|a)+$']\n",
        "utf-8",
    )
    text = (
        "\n".join(["a" * 40 + "!"] * 200)
        + "\n"
        + (DATA / "handwritten" / "gov2021-pipe.txt").read_text("utf-8")
    )

    start = time.monotonic()
    report = govdisclosure.load(text, spec=spec_file)
    elapsed = time.monotonic() - start

    assert elapsed < 20  # generous: one 0.25 s timeout per pattern, not 200
    slow = [f for f in report.findings if f.code == "spec.pattern_timeout"]
    assert ["^(a|a)+$"] == [f.message.split("'")[1] for f in slow]
    assert (
        1532 == report.table("t2_5").cell("administrative_license", "decisions").value
    )


def test_bundled_folder_is_the_checkout_or_the_package() -> None:
    """The bundled specs are found (installed package first, then checkout)."""
    assert (bundled_spec_dir() / "gov-2019.yaml").is_file()
