"""Choose the spec whose declared structure best fits a text.

Strategy: a spec's fingerprint is its section titles and its table labels
(rows, columns, fixed texts), in match form. The score is the share of
those found in the text, half for sections and half for table labels. The year
in the title plays no part: transition years exist, and titles lie (seed 001).
Issue 3 refines the score with reconstructed tables and invariants.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

from govdisclosure.errors import FormatNotRecognizedError
from govdisclosure.normalize import NormalizedText, label_key, match_key
from govdisclosure.registry import Registry
from govdisclosure.spec_model import Spec

__all__ = ["MIN_SCORE", "detect_spec", "score_spec"]

#: Below this score no spec is chosen: the text is not a report we know.
MIN_SCORE: Final = 0.35


@lru_cache(maxsize=32)
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


def score_spec(spec: Spec, key: str) -> tuple[float, str]:
    """The share of the spec's fingerprint found in ``key`` (text in match form)."""
    sections, labels = _fingerprint(spec)
    found_sections = sum(any(v in key for v in variants) for variants in sections)
    found_labels = sum(any(v in key for v in variants) for variants in labels)
    score = 0.5 * found_sections / max(len(sections), 1) + 0.5 * found_labels / max(
        len(labels), 1
    )
    reason = f"{found_sections}/{len(sections)} section headings, {found_labels}/{len(labels)} table labels found"
    return score, reason


def detect_spec(normalized: NormalizedText, registry: Registry) -> tuple[Spec, float]:
    """The best-fitting spec and its score; FormatNotRecognizedError if none fits."""
    key = match_key(normalized.text())[0]
    scored = sorted(
        ((spec, *score_spec(spec, key)) for spec in registry),
        key=lambda item: item[1],
        reverse=True,
    )
    if scored and scored[0][1] >= MIN_SCORE:
        return scored[0][0], scored[0][1]
    candidates = [(s.id, round(score, 3), reason) for s, score, reason in scored[:3]]
    detail = (
        "; ".join(f"{i}: score {sc} ({r})" for i, sc, r in candidates)
        or "no specs registered"
    )
    raise FormatNotRecognizedError(
        f"the text does not look like an annual report of a known format (need score ≥ {MIN_SCORE}): {detail}",
        candidates,
    )
