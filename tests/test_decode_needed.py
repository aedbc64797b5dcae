"""A glued row's search knows its dead states near the row's end (`decode._RowSearch._needed`).

The run below is a 三 row of a generated gov-2019 report: 自然人 52878,
the five 法人或其他组织 columns 9030, 1194, 2585, 205771, 3154, and 总计
274612 (52878 + 9030 + 1194 + 2585 + 205771 + 3154 = 274612, added by
hand), glued into 33 digits. Searched state by state it took 18,357
states; with the sums its last three columns can still make listed, a
state there whose running sum is not among them is dead at once.
"""

from __future__ import annotations

import pytest

from govdisclosure.pipeline import decode
from govdisclosure.pipeline.decode import row_solutions
from govdisclosure.pipeline.grid import Token, build_grid
from govdisclosure.pipeline.normalize import normalize_text
from govdisclosure.pipeline.segment import Piece
from govdisclosure.spec.model import Spec, ValueType

RUN = "528789030119425852057713154274612"
#: 总计 (column 6) is the sum of the six others.
TOTAL = ((1, 6), (-1, 0), (-1, 1), (-1, 2), (-1, 3), (-1, 4), (-1, 5))


def _tokens(spec: Spec, text: str) -> list[Token]:
    lines = normalize_text(text).lines
    grid = build_grid(spec, "s3", [(line, 0, len(line.text)) for line in lines])
    return [t for t in grid.tokens if t.kind.value in ("value", "empty")]


def test_a_long_glued_total_row_is_found_within_few_states(
    spec2019: Spec, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(decode, "MAX_STATES", 2_000)  # it used to take 18,357

    found = row_solutions(_tokens(spec2019, RUN), [ValueType.INT] * 7, [TOTAL])

    assert found is not None
    values = [[s.value if isinstance(s, Piece) else s for s in r] for r in found]
    assert values == [[52878, 9030, 1194, 2585, 205771, 3154, 274612]]


def test_domains_are_part_of_the_needed_sums(spec2019: Spec) -> None:
    """Domains (values a column may take) are part of the needed sums: a
    column barred from its true value leaves no reading."""
    tokens = _tokens(spec2019, RUN)
    types = [ValueType.INT] * 7
    domains: list[decode.Domain] = [None] * 7
    assert row_solutions(tokens, types, [TOTAL], domains) is not None
    domains[4] = {205770, 0}
    assert row_solutions(tokens, types, [TOTAL], domains) == []
