"""The index of a review folder: every report, the ones needing attention first."""

from __future__ import annotations

import html
from collections.abc import Sequence

from attrs import frozen

from govdisclosure.model import Report, Severity
from govdisclosure.review.page import FLAGGED, GENERATOR

__all__ = ["Entry", "render_index"]


@frozen
class Entry:
    """One input of the review: its page (or the error that stopped it)."""

    source: str
    page: str | None
    report: Report | None = None
    error: str | None = None


def _attention(entry: Entry) -> tuple[int, float, int, int]:
    """Sort key: failed files first, then low coverage, flagged cells, error findings.

    A format without tables has nothing to read (coverage None): it sorts as read.
    """
    report = entry.report
    if report is None:
        return (0, 0.0, 0, 0)
    errors = sum(f.severity is Severity.ERROR for f in report.findings)
    flagged = sum(c.status in FLAGGED for c in report.cells)
    share = report.coverage.share if report.coverage.share is not None else 1.0
    return (1, share, -flagged, -errors)


def _row(entry: Entry) -> str:
    name = html.escape(entry.source)
    link = f'<a href="{html.escape(entry.page)}">{name}</a>' if entry.page else name
    report = entry.report
    if report is None:
        return f'<tr class="failed"><td>{link}</td><td colspan="8">{html.escape(entry.error or "")}</td></tr>'
    share = report.coverage.share
    severities = [f.severity for f in report.findings]
    counts = [
        sum(c.status in FLAGGED for c in report.cells),
        sum(c.status.value == "corrected" for c in report.cells),
        severities.count(Severity.ERROR),
        severities.count(Severity.WARNING),
    ]
    cells = [
        link,
        html.escape(report.format),
        str(report.year or "—"),
        html.escape(report.organization or "—"),
        "—" if share is None else f"{share:.0%}",
        *(str(n) for n in counts),
    ]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def render_index(entries: Sequence[Entry]) -> str:
    """The index page: one row per report, sorted by what needs attention."""
    rows = "".join(_row(e) for e in sorted(entries, key=_attention))
    head = "".join(
        f"<th>{h}</th>"
        for h in ("report", "format", "year", "organisation", "coverage",
                  "flagged cells", "corrected", "errors", "warnings")
    )  # fmt: skip
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'">
{GENERATOR}
<title>govdisclosure review · {len(entries)} reports</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; margin: 16px; font-size: 14px; }}
table {{ border-collapse: collapse; }} th, td {{ border: 1px solid #bbb; padding: 3px 8px; }}
th {{ background: #f3f3f3; }} tr.failed td {{ background: #fde2e2; }}
</style></head><body>
<h1>Review: {len(entries)} reports</h1>
<p>Sorted by what needs attention: files that failed, then the lowest coverage (share of cells decided), the most flagged cells (ambiguous, missing, inferred), the most error findings.</p>
<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>
</body></html>
"""
