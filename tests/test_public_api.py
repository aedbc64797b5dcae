"""The public API is exactly the documented list."""

from __future__ import annotations

import govdisclosure

PUBLIC = [
    "Cell",
    "CellStatus",
    "Fact",
    "Finding",
    "FormatNotRecognizedError",
    "GovDisclosureError",
    "GovDisclosureWarning",
    "InputError",
    "InternalError",
    "KeyNotFoundError",
    "MissingExtraError",
    "Registry",
    "Report",
    "Result",
    "Section",
    "Severity",
    "SourceSpan",
    "Spec",
    "SpecError",
    "SpecNotFoundError",
    "Table",
    "compare",
    "decide_by_neighbours",
    "explain",
    "html_to_text",
    "load",
    "load_file",
    "load_many",
    "load_spec",
    "parquet_part",
    "report_json_schema",
    "to_arrow",
]


def test_all_is_pinned() -> None:
    """__all__ is sorted, complete and importable; growing it is a decision."""
    assert PUBLIC == govdisclosure.__all__
    assert sorted(PUBLIC) == PUBLIC
    for name in PUBLIC:
        assert getattr(govdisclosure, name).__doc__, name


def test_errors_share_one_root() -> None:
    """Every exception we raise is a GovDisclosureError."""
    for name in PUBLIC:
        obj = getattr(govdisclosure, name)
        if (
            isinstance(obj, type)
            and issubclass(obj, Exception)
            and not issubclass(obj, Warning)
        ):
            assert issubclass(obj, govdisclosure.GovDisclosureError), name
