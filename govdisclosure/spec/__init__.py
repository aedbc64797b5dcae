"""The spec language: what a format is, written as data.

A spec file (``specs/*.yaml``) declares a format's sections, tables (row and
column label trees, aliases, value types, units), equations and metadata
patterns. This package reads and checks such files and finds them; it knows
no format itself.

* `model`: the frozen attrs classes a spec file becomes (`Spec`, `TableSpec`, …);
* `expr`: the equation language (``a + b == c``) and its instances over a table;
* `patterns`: the one place where a spec's regular expressions run (timeouts);
* `loader`: YAML text → `Spec` (duplicate keys refused, ``extends`` merged,
  mistakes located as ``FILE:LINE:COL``);
* `check`: the semantic checks of a built spec;
* `schema`: JSON Schemas for spec files and reports;
* `registry`: where specs come from (bundled, plugins, paths) and lookup by id.

Imports point one way, checked by the ``spec-language`` import contract:
`registry` and `schema` → `loader` → `check` → `expr` and `patterns` →
`model`. Nothing here imports the pipeline.
"""
