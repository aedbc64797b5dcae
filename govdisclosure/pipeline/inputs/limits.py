"""How large an input may be: each bound is checked before the work it bounds.

A report file is untrusted: a few hundred kilobytes of .docx unzip to
millions of paragraphs, a saved page's ``colspan`` makes a hundred cells of
each ``<td>``, a PDF of 500 pages takes a minute and gigabytes. The defaults
are far above what real reports need (docs/limits.md, "Inputs"); an input
past one is an `InputError` that names the bound and says how to raise it
(`input_limits`). The bounds are a context variable, like the spec's
(`govdisclosure.spec.model.spec_limits`), so they reach every step that
reads input without a parameter threaded through each of them.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any, Final

from attrs import frozen

from govdisclosure.errors import InputError
from govdisclosure.scoped import Scoped

__all__ = ["CellBudget", "InputLimits", "current_input_limits", "input_limits", "over"]


@frozen
class InputLimits:
    """How large an input may be (docs/limits.md lists each with real reports' sizes)."""

    #: bytes read from one file (a .txt, a page, a .pdf or .docx), counted while reading
    max_file_bytes: int = 200_000_000
    #: characters of the text `load` reads (after a page's markup or a file is read)
    max_chars: int = 5_000_000
    #: lines of that text
    max_lines: int = 200_000
    #: characters of a web page's markup, before it is parsed
    max_markup_chars: int = 20_000_000
    #: table cells one file's tables are written as, counting each column an
    #: empty merged cell spans (``<td colspan=100>`` is a hundred)
    max_table_cells: int = 1_000_000
    #: pages of one PDF, checked before any page is read
    max_pdf_pages: int = 100
    #: files (parts) inside one .docx, from its zip directory
    max_docx_parts: int = 1_000
    #: bytes of one .docx's parts once unzipped, from its zip directory
    max_docx_bytes: int = 200_000_000
    #: XML tags of one .docx's XML parts, counted before they are parsed
    max_docx_tags: int = 1_000_000


_LIMITS: Final = Scoped("input_limits", InputLimits())


def current_input_limits() -> InputLimits:
    """The bounds in force here (`input_limits` changes them)."""
    return _LIMITS.get()


def input_limits(**changes: Any) -> AbstractContextManager[InputLimits]:
    """Raise (or lower) some bounds inside a ``with`` block; the others stay.

    ``with input_limits(max_pdf_pages=500): load_file("big.pdf")`` reads a
    longer PDF than the default allows. Per thread and task (a context
    variable); a batch takes those in force when `load_many` is called to its
    worker processes.
    """
    return _LIMITS.changed(**changes)


def over(what: str, bound: str) -> InputError:
    """The error for an input past ``bound``: which bound, its value, how to raise it."""
    value = getattr(current_input_limits(), bound)
    return InputError(
        f"{what}: over the limit {bound}={value:,} (raise it with "
        f"govdisclosure.pipeline.read.input_limits({bound}=...))"
    )


class CellBudget:
    """The table cells one file may still be written as (`InputLimits.max_table_cells`).

    One budget per file, shared by its tables: a bound per table would let a
    page of many tables through.
    """

    def __init__(self) -> None:
        self.left = current_input_limits().max_table_cells

    def take(self, cells: int) -> None:
        """Count ``cells`` more; raises `InputError` past the bound."""
        self.left -= cells
        if self.left < 0:
            raise over(
                "the tables would be written as more cells than allowed "
                "(merged cells count once per column they span)",
                "max_table_cells",
            )
