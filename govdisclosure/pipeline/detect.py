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
"""

from __future__ import annotations

from typing import Final

from govdisclosure.errors import FormatNotRecognizedError
from govdisclosure.memo import by_identity
from govdisclosure.model import DECIDED, CellStatus, Report
from govdisclosure.pipeline.normalize import NormalizedText
from govdisclosure.spec.model import Spec
from govdisclosure.spec.registry import Registry
from govdisclosure.typography import label_key

__all__ = [
    "CLOSE_CALL",
    "MIN_SCORE",
    "candidate_specs",
    "ruled_out",
    "structure_score",
]

#: Below this label score a spec is not tried: the text is not a report of its format.
MIN_SCORE: Final = 0.35
#: Two specs whose structure scores differ by less than this are a close call.
CLOSE_CALL: Final = 0.05
#: A spec is ruled out when at most this share of its distinctive labels is in
#: the text while another fitting spec has at least OWN_LABELS of its own.
OTHER_LABELS: Final = 0.2
OWN_LABELS: Final = 0.5


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


def _score(spec: Spec, key: _Occurs) -> tuple[float, str]:
    """The share of the spec's fingerprint found in ``key`` (text in match form)."""
    sections, labels = _fingerprint(spec)
    found_sections = key.count(sections)
    found_labels = key.count(labels)
    score = 0.5 * found_sections / max(len(sections), 1) + 0.5 * found_labels / max(
        len(labels), 1
    )
    reason = f"{found_sections}/{len(sections)} section headings, {found_labels}/{len(labels)} table labels found"
    return score, reason


def candidate_specs(
    normalized: NormalizedText, registry: Registry
) -> list[tuple[Spec, float]]:
    """The specs whose fingerprint fits well enough, best first.

    Raises FormatNotRecognizedError, naming the best specs and why, if none does.
    """
    key = _Occurs("".join(normalized.match_keys))
    scored = sorted(
        ((spec, *_score(spec, key)) for spec in registry),
        key=lambda item: item[1],
        reverse=True,
    )
    fitting = [(spec, score) for spec, score, _ in scored if score >= MIN_SCORE]
    if fitting:
        out = _ruled_out([spec for spec, _ in fitting], key)
        return [(spec, score) for spec, score in fitting if spec.id not in out]
    candidates = [(s.id, round(score, 3), reason) for s, score, reason in scored[:3]]
    detail = (
        "; ".join(f"{i}: score {sc} ({r})" for i, sc, r in candidates)
        or "no specs registered"
    )
    raise FormatNotRecognizedError(
        f"the text does not look like an annual report of a known format (need score ≥ {MIN_SCORE}): {detail}",
        candidates,
    )


def structure_score(report: Report, label_score: float, instances: int) -> float:
    """How well a parsed report fits its spec, from 0 to 1.

    ``instances`` is how many equation instances the spec checks. Weights:
    cells present (not missing) 0.3, cells decided (ok, inferred or blank)
    0.3, equations that hold among those checked 0.2, labels 0.2.
    """
    cells = list(report.cells)
    if not cells:
        return 0.2 * label_score
    present = sum(c.status is not CellStatus.MISSING for c in cells) / len(cells)
    decided = sum(c.status in DECIDED for c in cells) / len(cells)
    broken = sum(f.code == "invariant.violated" for f in report.findings)
    unchecked = sum(f.code == "invariant.unchecked" for f in report.findings)
    checked = instances - unchecked
    holds = (checked - broken) / checked if checked > 0 else 0.5
    return 0.3 * present + 0.3 * decided + 0.2 * holds + 0.2 * label_score
