"""The scaling recipe (docs/scaling.md) on a local Dask cluster of two processes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import govdisclosure

ROOT = Path(__file__).parent


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_a_folder_through_a_dask_bag_into_partitioned_parquet(tmp_path: Path) -> None:
    db = pytest.importorskip("dask.bag")
    distributed = pytest.importorskip("distributed")
    pq = pytest.importorskip("pyarrow.parquet")
    reports = tmp_path / "reports"
    reports.mkdir()
    for seed in sorted((ROOT / "data" / "seeds").glob("*.txt")):
        shutil.copy(seed, reports / seed.name)
    (reports / "broken.txt").write_bytes(b"\x00\x01" * 50)
    out = tmp_path / "cells"

    # the recipe, as docs/scaling.md gives it
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        paths = sorted(str(p) for p in reports.rglob("*.txt"))
        bag = db.from_sequence(paths, npartitions=3)
        outcome = bag.map_partitions(govdisclosure.parquet_part, str(out)).compute()

    assert sorted(paths) == sorted(path for path, _ in outcome)
    failed = [path for path, error in outcome if error]
    assert [str(reports / "broken.txt")] == failed
    assert 3 == len(list(out.glob("part-*.parquet")))
    rows = pq.read_table(out).to_pylist()
    expected = [
        r
        for p in sorted(reports.glob("0*.txt"))
        for r in govdisclosure.load_file(p).to_records(source=str(p))
    ]
    key = lambda r: (r["source"], r["table_id"], r["row_key"], r["column_key"])  # noqa: E731
    assert sorted(expected, key=key) == sorted(rows, key=key)
