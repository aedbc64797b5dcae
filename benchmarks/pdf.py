"""Time reading PDF files: the text layer alone (`pdf_text`) and the whole `load_file`.

    python benchmarks/pdf.py [FILE.pdf ...] [--repeat N] [--no-made]

Without files, the real PDFs (tests/data/real/*.pdf) and a few PDFs made as
the tests make them (tests/inputs/documents.py: a ruled table, an unruled
one, one across A4 pages with page numbers; ``--no-made`` leaves these
out). Prints, per file, the median milliseconds of N reads: wall time and
this process's CPU time (which other processes on a shared machine do not
inflate), and which reader read it (PDFium, or pdfminer where a font is not
in the PDF). Numbers are measured, never asserted: the machine is shared
and noisy.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from run import wall_cpu_ms

import govdisclosure
from govdisclosure.pipeline.inputs.pdf import pdf_text

ROOT = Path(__file__).parent.parent


def _made(folder: Path) -> list[Path]:
    """A few PDFs as the tests print them (reportlab), from the hand-written gov-2021 case."""
    sys.path.insert(0, str(ROOT))
    from tests.inputs.documents import PdfLook, write_pdf
    from tests.inputs.test_inputs import OK_CASES, _page

    page, _ = _page(next(p for p in OK_CASES if p.stem.startswith("hand-pipe")))
    looks = {
        "ruled": PdfLook(),
        "unruled": PdfLook(rules=False),
        "a4-page-numbers": PdfLook(rules=False, page="A4", footer="- {n} -"),
    }
    paths = []
    for name, look in looks.items():
        path = folder / f"made-{name}.pdf"
        write_pdf(page, path, look)
        paths.append(path)
    return paths


def _median_ms(read: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall and CPU milliseconds of ``repeat`` calls, after one to warm up."""
    read()
    return wall_cpu_ms(read, repeat)


def _reader(path: Path) -> str:
    try:
        from govdisclosure.pipeline.inputs.pdf_layer import pdf_pages
    except ImportError:  # the reader before PDFium
        return "pdfminer"
    pages = pdf_pages(path.read_bytes())
    return "pdfminer" if pages is None or any(p.borrowed for p in pages) else "pdfium"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--no-made", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = args.files or sorted((ROOT / "tests" / "data" / "real").glob("*.pdf"))
        if not args.files and not args.no_made:
            files += _made(Path(tmp))
        print(
            f"{'file':<32} {'reader':<9} {'pdf_text wall/cpu':>18} {'load_file wall/cpu':>19}"
        )
        for path in files:
            text = _median_ms(lambda p=path: pdf_text(p), args.repeat)
            load = _median_ms(lambda p=path: govdisclosure.load_file(p), args.repeat)
            print(
                f"{path.name:<32} {_reader(path):<9} "
                f"{text[0]:8.1f} / {text[1]:6.1f} ms {load[0]:8.1f} / {load[1]:6.1f} ms"
            )


if __name__ == "__main__":
    main()
