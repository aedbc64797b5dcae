"""The kinds of file `read` reads, each a module: the file's text, tables as pipe rows.

    pipes       markup rows → pipe rows (merged cells), for every kind below
    html        a saved web page → text (chrome left out, page metadata as pairs)
    scripts     report markup a page keeps in scripts and templates, never run
    docx        a .docx file → text (the ``docx`` extra)
    pdf         a PDF file → text: pages, ruled tables, page furniture (``pdf`` extra)
    pdf_words   a PDF page's words → lines → cells, without the text layer's spaces
    pdf_tables  an unruled PDF table → pipe rows, its columns from word positions

`read` dispatches to them by suffix; each returns the file's text as `str`.
"""
