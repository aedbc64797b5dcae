"""The steps that turn a report's text into cells, in data-flow order.

Each module is one step, a function of frozen values; `govdisclosure.api`
calls them in this order, and is the only place that does::

    read        a file → the report's text (encodings; HTML, .docx, PDF by inputs/)
    normalize   str → NormalizedText (繁→简, pinyin, width; offsets kept)
    detect      NormalizedText → the specs that may fit (beside the chain)
    sections    NormalizedText + Spec → Sections (headings, bodies, the report's end)
    metadata    Sections → Metadata (title, organisation, year, publication date)
    narrative   Sections → Facts (figures stated in the prose)
    grid        a section's lines → TokenGrid (labels, numbers, empty cells)
    values      the number grammar the grid and segment read with
    segment     a row's tokens → its possible readings
    rows        TokenGrid → TableDraft (each row's tokens and readings)
    narrow      TableDraft → TableDraft (readings no consistent table allows dropped)
    cells       TableDraft → Table (each cell's value and status)
    invariants  Table → Findings (every equation the cells break)

A step imports only the steps above it (checked by import-linter, see
``pyproject.toml``).
"""
