"""The review loop: pages to see and decide flagged cells, and their decisions as data.

`page` renders one report's self-contained page, `index` the folder's page
sorted by what needs attention, `decisions` merges the decisions a page
downloads into the report's corrections file (docs/review.md).
"""
