"""Markup rows → pipe rows: how every input writes a table for the grid.

Tables are written as pipe rows, one markup cell per cell, in the order the
markup gives them. That is the layout the grid reads best: cell boundaries are
exact (no digits glued into ``000000``), and an empty cell is an explicit
empty cell. Spans are read, not guessed:

* a cell covered by a ``rowspan`` from a row above is not repeated (the
  merged label is written once, in its first row, as publishing systems do);
* an *empty* cell spanning several columns is written as that many empty
  cells, so the values after it keep their positions; a cell with text is
  written once, whatever its ``colspan``.

The same rules serve HTML (`html`), .docx (``gridSpan``, ``vMerge``: `docx`)
and ruled PDF tables (a merged cell is ``None`` in the lattice's grid: `pdf_lattice`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from attrs import frozen

from govdisclosure.pipeline.inputs.limits import CellBudget

__all__ = ["MarkupCell", "table_lines"]


@frozen
class MarkupCell:
    text: str
    colspan: int = 1


def table_lines(
    rows: Iterable[Sequence[MarkupCell]], budget: CellBudget | None = None
) -> Iterator[str]:
    """Markup rows → pipe lines: text cells once, empty cells once per column.

    The cells are counted in ``budget`` (the file's, shared by its tables)
    before they are made: a page of ``<td colspan=100>`` would otherwise
    take gigabytes.
    """
    budget = budget or CellBudget()
    for row in rows:
        cells: list[str] = []
        for cell in row:
            text = " ".join(cell.text.replace("|", " ").split())
            width = 1 if text else max(cell.colspan, 1)
            budget.take(width)
            cells += [text] if text else [""] * width
        if any(cells):
            yield "| " + " | ".join(cells) + " |"
