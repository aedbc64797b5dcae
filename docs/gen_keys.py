"""Write docs/keys.md (every key with its official label) and docs/report.schema.json.

Run ``python docs/gen_keys.py`` after changing a spec or the report model;
tests fail while either file is stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from govdisclosure.spec.registry import Registry
from govdisclosure.spec.schema import report_json_schema

HERE = Path(__file__).parent


def render() -> str:
    out = [
        "# Table and cell keys",
        "",
        "Generated from `specs/` by `python docs/gen_keys.py`; do not edit by hand.",
        "A cell's address is `table.row_key.column_key`, e.g. `t3.new_requests.total`.",
        "Keys are stable: renaming one is a breaking change.",
        "",
    ]
    for spec in sorted(Registry(plugins=False, environment=False), key=lambda s: s.id):
        out += [f"## `{spec.id}` — {spec.title}", "", f"Source: {spec.source}.", ""]
        for table in spec.tables:
            out += [
                f"### `{table.id}` {table.name}",
                "",
                "| rows | label | unit | type |",
                "|---|---|---|---|",
            ]
            out += [
                f"| `{leaf.key}` | {leaf.label or '(no label)'} | {leaf.node.unit or ''}"
                f" | {leaf.node.type.value if leaf.node.type else ''} |"
                for leaf in table.row_leaves()
            ]
            out += [
                "",
                "| columns | label | type |",
                "|---|---|---|",
            ]
            out += [
                f"| `{leaf.key}` | {leaf.label} | {(leaf.node.type or table.value_type).value} |"
                for leaf in table.column_leaves()
            ]
            out.append("")
        stated = [f for f in spec.narrative if not f.cells]
        if stated:
            out += [
                "### Stated figures (no table)",
                "",
                "| key | unit | what |",
                "|---|---|---|",
            ]
            out += [f"| `{f.id}` | {f.unit or ''} | {f.description} |" for f in stated]
            out.append("")
        if spec.invariants:
            out += [
                "### Invariants",
                "",
                "| id | table | per | equation |",
                "|---|---|---|---|",
            ]
            out += [
                f"| `{inv.id}` | `{inv.table}` | {inv.for_each.value} | `{inv.equation}` |"
                for inv in spec.invariants
            ]
            out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    (HERE / "keys.md").write_text(render(), encoding="utf-8")
    schema = json.dumps(report_json_schema(), ensure_ascii=False, indent=2)
    (HERE / "report.schema.json").write_text(schema + "\n", encoding="utf-8")
    sys.stdout.write("wrote docs/keys.md and docs/report.schema.json\n")
