"""Choose the spec whose declared structure best fits a text.

Strategy, in three stages, none of which looks at the year in the title
(transition years exist, and titles lie: seed 001).

1. *Fingerprint*: a spec's section titles and table labels in match form;
   the share found in the text is its label score. Specs below MIN_SCORE are
   out; if none is left, FormatNotRecognizedError names the best and why.
2. *Distinctive labels*: formats share most labels (a 2019 report finds 92%
   of the 2021 fingerprint), so the label score hardly tells them apart. For
   two fitting specs A and B, the labels of A that occur nowhere in B (not
   even inside a longer label of B) are what only an A report prints. When
   most of A's own labels are in the text and almost none of B's, B is out
   before parsing: a collapsed table may read almost as well under the wrong
   spec (a glued 2021 report scored higher as 2019), but it cannot print the
   other format's labels. Mixed evidence rules nothing out.
3. *Structure*: every remaining spec parses the text (`api` does that), and
   `structure_score` rates the result: how many cells were found, how many
   were decided, how many equations hold. The best report wins; a runner-up
   within CLOSE_CALL is reported as a finding.

A spec may declare no table (a report under the 2008 regulations states its
figures in prose only). Its fingerprint is its section headings and the
figures its prose states (`narrative` facts whose patterns match the text),
and its claim is that the text has no statutory table, so it competes only
where that is true. Before parsing, it is out when the text holds
TABLE_LABELS of some spec's table labels (the text prints a table, however
badly it may read). After parsing, `table_evidence` rules it out as soon as
a spec with tables reads a cell of the text, and rules the specs with
tables out when none of them reads one (a report whose tables are only
images is then read as what it is, a report with no table).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from govdisclosure.errors import FormatNotRecognizedError
from govdisclosure.memo import by_identity
from govdisclosure.model import DECIDED, CellStatus, Report
from govdisclosure.pipeline.normalize import NormalizedText
from govdisclosure.spec.expr import instances
from govdisclosure.spec.model import Spec
from govdisclosure.spec.patterns import PatternTimeoutError, search, timeouts
from govdisclosure.spec.registry import Registry
from govdisclosure.typography import label_key

__all__ = [
    "CLOSE_CALL",
    "MIN_SCORE",
    "TABLE_LABELS",
    "candidate_specs",
    "ruled_out",
    "structure_score",
    "table_evidence",
]

#: Below this label score a spec is not tried: the text is not a report of its format.
MIN_SCORE: Final = 0.35
#: Two specs whose structure scores differ by less than this are a close call.
CLOSE_CALL: Final = 0.05
#: A spec is ruled out when at most this share of its distinctive labels is in
#: the text while another fitting spec has at least OWN_LABELS of its own.
OTHER_LABELS: Final = 0.2
OWN_LABELS: Final = 0.5
#: A text holding this share of a spec's table labels prints a statutory
#: table: a spec without tables is no candidate for it. Measured on the
#: real reports (tests/data/real): at most 10% of any spec's labels appear in
#: a report without a table, at least 36% in one with a table (08, whose
#: 三 and 四 are sentences).
TABLE_LABELS: Final = 0.25


@by_identity(maxsize=32)
def _fingerprint(
    spec: Spec,
) -> tuple[tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]]:
    sections = tuple(
        tuple(label_key(t) for t in (s.title, *s.aliases)) for s in spec.sections
    )
    labels: list[tuple[str, ...]] = []
    for table in spec.tables:
        labels += [(label_key(t),) for t in table.labels]
        for leaf in (*table.row_leaves(), *table.column_leaves()):
            texts = [t for t in (leaf.node.label, *leaf.node.aliases) if t]
            if texts:
                labels.append(tuple(label_key(t) for t in texts))
    return sections, tuple(dict.fromkeys(labels))


@by_identity(maxsize=256)
def _distinctive(spec: Spec, other: Spec) -> tuple[tuple[str, ...], ...]:
    """The label variant groups of ``spec`` no variant of which occurs in ``other``."""
    theirs = [k for group in _fingerprint(other)[1] for k in group]
    return tuple(
        group
        for group in _fingerprint(spec)[1]
        if not any(v in k for v in group for k in theirs)
    )


class _Occurs(dict[str, bool]):
    """Whether each label is in the text, searched once: specs share most labels."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

    def __missing__(self, label: str) -> bool:
        self[label] = found = label in self.key
        return found

    def count(self, groups: tuple[tuple[str, ...], ...]) -> int:
        """How many of ``groups`` have a variant in the text."""
        found = 0
        for group in groups:
            for variant in group:
                if self[variant]:
                    found += 1
                    break
        return found


def _share_found(groups: tuple[tuple[str, ...], ...], occurs: _Occurs) -> float:
    return occurs.count(groups) / len(groups)


def ruled_out(specs: list[Spec], key: str) -> dict[str, str]:
    """The specs whose own labels are absent where another's are present, and why.

    ``key`` is the text in match form. Keyed by spec id; see stage 2 of the
    module docstring.
    """
    return _ruled_out(specs, _Occurs(key))


def _ruled_out(specs: list[Spec], key: _Occurs) -> dict[str, str]:
    out: dict[str, str] = {}
    for b in specs:
        for a in specs:
            if a is b:
                continue
            mine, theirs = _distinctive(b, a), _distinctive(a, b)
            if not mine or not theirs:
                continue
            own, other = _share_found(mine, key), _share_found(theirs, key)
            if own <= OTHER_LABELS and other >= OWN_LABELS:
                out[b.id] = (
                    f"{own:.0%} of the labels only {b.id} has are in the text, "
                    f"{other:.0%} of those only {a.id} has"
                )
                break
    return out


def _score(spec: Spec, key: _Occurs, text: str) -> tuple[float, str]:
    """The share of the spec's fingerprint found in ``key`` (text in match form).

    A spec with tables: half section headings, half table labels. A spec
    without: half section headings, half the figures its prose states
    (facts whose patterns match ``text``, the display text); all headings
    when it declares no fact.
    """
    sections, labels = _fingerprint(spec)
    found_sections = key.count(sections)
    share_sections = found_sections / max(len(sections), 1)
    headings = f"{found_sections}/{len(sections)} section headings"
    if not spec.tables:
        if not spec.narrative:
            return share_sections, f"{headings} found (no table, no stated figure)"
        with timeouts():  # one time budget for the spec's patterns here too
            facts = sum(_stated(patterns, text) for patterns in _fact_patterns(spec))
        score = 0.5 * share_sections + 0.5 * facts / len(spec.narrative)
        return score, f"{headings}, {facts}/{len(spec.narrative)} stated figures found"
    found_labels = key.count(labels)
    score = 0.5 * share_sections + 0.5 * found_labels / max(len(labels), 1)
    return score, f"{headings}, {found_labels}/{len(labels)} table labels found"


def _fact_patterns(spec: Spec) -> tuple[tuple[str, ...], ...]:
    return tuple(fact.patterns for fact in spec.narrative)


def _stated(patterns: tuple[str, ...], text: str) -> bool:
    """Whether any of a fact's patterns matches the text (a timeout says no)."""
    for pattern in patterns:
        try:
            if search(pattern, text) is not None:
                return True
        except PatternTimeoutError:
            continue
    return False


def candidate_specs(
    normalized: NormalizedText, registry: Registry
) -> list[tuple[Spec, float]]:
    """The specs whose fingerprint fits well enough, best first.

    Raises FormatNotRecognizedError, naming the best specs and why, if none does.
    """
    key = _Occurs("".join(normalized.match_keys))
    text = normalized.text()
    scored = sorted(
        ((spec, *_score(spec, key, text)) for spec in registry),
        key=lambda item: item[1],
        reverse=True,
    )
    fitting = [(spec, score) for spec, score, _ in scored if score >= MIN_SCORE]
    printed = _table_printed(list(registry), key)
    out = _ruled_out([spec for spec, _ in fitting], key)
    if printed:
        out.update({spec.id: printed for spec, _ in fitting if not spec.tables})
    kept = [(spec, score) for spec, score in fitting if spec.id not in out]
    if kept:
        return kept
    candidates = [(s.id, round(score, 3), reason) for s, score, reason in scored[:3]]
    detail = (
        "; ".join(f"{i}: score {sc} ({r})" for i, sc, r in candidates)
        or "no specs registered"
    )
    if fitting:  # every fitting spec has no table, and the text prints one
        detail = f"{detail}; {printed}"
    raise FormatNotRecognizedError(
        f"the text does not look like an annual report of a known format (need score ≥ {MIN_SCORE}): {detail}",
        candidates,
    )


def _table_printed(specs: list[Spec], key: _Occurs) -> str | None:
    """Why the text prints a statutory table, if it does: its labels are there.

    When at least `TABLE_LABELS` of a spec's table labels are in the text, the
    text holds that spec's table, however badly its cells can be read; a spec
    without tables is then no candidate. None when no spec's labels are.
    """
    for spec in specs:
        labels = _fingerprint(spec)[1]
        if labels and (share := _share_found(labels, key)) >= TABLE_LABELS:
            return f"{share:.0%} of the table labels of {spec.id} are in the text"
    return None


def structure_score(report: Report, spec: Spec, label_score: float) -> float:
    """How well a parsed report fits its spec, from 0 to 1.

    Weights: cells present (not missing) 0.3, cells decided (ok, inferred or
    blank) 0.3, equations that hold among those the spec checks 0.2, labels
    0.2. A spec without tables has no cells to rate: its sections located
    (0.4) and its stated figures found (0.4) stand in for them (0.8 for the
    sections when it declares no figure); it competes only with other specs
    without tables (`table_evidence`).
    """
    if not spec.tables:
        sections = len(report.sections) / max(len(spec.sections), 1)
        if not spec.narrative:
            return 0.8 * sections + 0.2 * label_score
        found = len({fact.id for fact in report.facts}) / len(spec.narrative)
        return 0.4 * sections + 0.4 * found + 0.2 * label_score
    cells = list(report.cells)
    if not cells:
        return 0.2 * label_score
    present = sum(c.status is not CellStatus.MISSING for c in cells) / len(cells)
    decided = sum(c.status in DECIDED for c in cells) / len(cells)
    broken = sum(f.code == "invariant.violated" for f in report.findings)
    unchecked = sum(f.code == "invariant.unchecked" for f in report.findings)
    checked = len(instances(spec)) - unchecked
    holds = (checked - broken) / checked if checked > 0 else 0.5
    return 0.3 * present + 0.3 * decided + 0.2 * holds + 0.2 * label_score


def table_evidence(parsed: Sequence[tuple[Spec, Report]]) -> dict[str, str]:
    """The parsed candidates that the presence or absence of a table rules out, and why.

    A spec without tables says the text has no statutory table. That is
    false as soon as a spec with tables reads a cell of it (any status but
    missing), and then the table-less specs are out; when none reads one and
    a table-less spec fits, the specs with tables are out (they describe
    tables the text does not have). Keyed by spec id.
    """
    reading = [s.id for s, r in parsed if s.tables and r.coverage.present]
    tableless = [s.id for s, _ in parsed if not s.tables]
    if reading:
        why = f"it declares no table, and {reading[0]} reads one in the text"
        return dict.fromkeys(tableless, why)
    if tableless:
        why = f"it reads no cell of its tables, and {tableless[0]} (no table) fits"
        return {s.id: why for s, _ in parsed if s.tables}
    return {}
