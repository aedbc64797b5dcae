"""Turn 政府信息公开工作年度报告 text into checked, typed data.

    >>> import govdisclosure
    >>> report = govdisclosure.load(text)            # doctest: +SKIP
    >>> report.table("t3").cell("new_requests", "total").value   # doctest: +SKIP

The package reads as its plan (docs/architecture.md): ``api`` runs the steps
in ``pipeline/`` (read → normalize → detect → sections → narrative → grid →
segment → rows → narrow → cells → invariants) with a spec from ``spec/`` and
builds the ``model``'s Report; ``output/``, ``explain``, ``across`` and ``cli/``
are the edges.

Only the names in ``__all__`` are public; every other module is internal.
"""

from govdisclosure.across import compare, decide_by_neighbours
from govdisclosure.api import load, load_file
from govdisclosure.errors import (
    FormatNotRecognizedError,
    GovDisclosureError,
    GovDisclosureWarning,
    InputError,
    InternalError,
    KeyNotFoundError,
    MissingExtraError,
    SpecError,
    SpecNotFoundError,
)
from govdisclosure.explain import explain
from govdisclosure.model import (
    Cell,
    CellStatus,
    Fact,
    Finding,
    Report,
    Result,
    Section,
    Severity,
    SourceSpan,
    Table,
)
from govdisclosure.output.batch import load_many, parquet_part
from govdisclosure.output.export import to_arrow
from govdisclosure.pipeline.read import html_to_text
from govdisclosure.spec.model import Spec
from govdisclosure.spec.registry import Registry, load_spec
from govdisclosure.spec.schema import report_json_schema

__version__ = "0.1.0.dev0"

__all__ = [
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
