"""A 2019-format report generator for property tests: values and layouts.

Values satisfy the spec's invariants by construction (I1–I4); labels and
headers come from the spec's label trees. Issue 4 replaces this with
strategies derived from any spec.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from govdisclosure.spec.model import LabelNode, Spec, TableSpec

LAYOUTS = ("pipe", "lines", "blanklines", "spaces", "glued", "pipe_blank0")
#: Layouts that keep every cell boundary: every cell must come back exactly.
EXACT = ("pipe", "lines", "blanklines", "spaces")

Truth = dict[tuple[str, str, str], int]


def _value(r: random.Random) -> int:
    x = r.random()
    return 0 if x < 0.6 else (r.randint(1, 9) if x < 0.85 else r.randint(10, 3000))


def _t3(spec: Spec, r: random.Random) -> dict[str, list[int]]:
    rows = [leaf.key for leaf in spec.table("t3").row_leaves()]
    outcomes = rows[2:-2]
    v = {k: [0] * 7 for k in rows}
    for k in outcomes:
        v[k][:6] = [_value(r) if r.random() < 0.5 else 0 for _ in range(6)]
    v["processed_total"][:6] = [sum(v[k][c] for k in outcomes) for c in range(6)]
    v["carry_forward"][:6] = [_value(r) for _ in range(6)]
    v["carried_over"][:6] = [
        r.randint(0, v["processed_total"][c] + v["carry_forward"][c]) for c in range(6)
    ]
    v["new_requests"][:6] = [
        v["processed_total"][c] + v["carry_forward"][c] - v["carried_over"][c]
        for c in range(6)
    ]
    for k in rows:
        v[k][6] = sum(v[k][:6])
    return v


def _t4(r: random.Random) -> list[int]:
    out: list[int] = []
    for _ in range(3):
        group = [_value(r) for _ in range(4)]
        out += [*group, sum(group)]
    return out


def _row(label: str | None, values: list[int], layout: str) -> str:
    vs = [str(x) for x in values]
    head = [label] if label else []
    if layout == "pipe":
        return " | ".join(head + vs) + " |"
    if layout == "pipe_blank0":
        return " | ".join(head + ["" if x == "0" else x for x in vs]) + " |"
    if layout == "lines":
        return "\n".join(head + vs)
    if layout == "blanklines":
        return "\n\n".join(head + vs)
    if layout == "spaces":
        return " ".join(head + vs)
    return (label or "") + "".join(vs)  # glued


def _header(nodes: tuple[LabelNode, ...]) -> Iterator[str]:
    """Header labels level by level, as a merged header flattens."""
    level = list(nodes)
    while level:
        yield from (n.label for n in level if n.label)
        level = [c for n in level for c in n.children]


def _rows(
    table: TableSpec,
    nodes: tuple[LabelNode, ...],
    values: dict[str, list[int]],
    layout: str,
    prefix: str = "",
) -> Iterator[str]:
    for node in nodes:
        if node.children:
            if node.label:
                yield node.label  # a merged group label on its own line
            yield from _rows(
                table,
                node.children,
                values,
                layout,
                prefix + (node.key + "_" if node.key else ""),
            )
        else:
            yield _row(node.label, values[prefix + (node.key or "")], layout)


def report(spec: Spec, r: random.Random, layout: str) -> tuple[str, Truth]:
    """A whole 2019-format report in ``layout`` and the true value of every cell."""
    truth: Truth = {}
    values: dict[str, dict[str, list[int]]] = {}
    for table in spec.tables:
        if table.id == "t3":
            values["t3"] = _t3(spec, r)
        elif table.id == "t4":
            values["t4"] = {"cases": _t4(r)}
        else:
            values[table.id] = {
                leaf.key: [_value(r) for _ in table.column_leaves()]
                for leaf in table.row_leaves()
            }
        for leaf in table.row_leaves():
            for column, value in zip(
                table.column_leaves(), values[table.id][leaf.key], strict=True
            ):
                truth[(table.id, leaf.key, column.key)] = value
    out = ["某某局2020年政府信息公开工作年度报告"]
    for section in spec.sections:
        out.append(f"{section.number}、{section.title}")
        tables = [t for t in spec.tables if t.section == section.id]
        if not tables:
            out.append("2020年，本机关认真贯彻落实《条例》。")
        for table in tables:
            out += list(table.labels)
            out.append("\n".join(_header(table.columns)))
            out += list(_rows(table, table.rows, values[table.id], layout))
    return "\n".join(out), truth
