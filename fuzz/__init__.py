"""Fuzzing govdisclosure: mutators of real inputs, the contract, and the drivers.

`python -m fuzz.run` fuzzes for a time budget (hours, locally), `fuzz.atheris_main`
does the same under atheris' coverage guidance, and `tests/fuzzing/` runs a few
seconds of the same mutations in the normal test command (docs/testing.md#fuzzing).
"""
