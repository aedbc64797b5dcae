"""What leaves the library besides a `Report`: batches and tabular exports.

* `export`: Reports → Arrow tables and Parquet files (tidy, one row per cell);
* `batch`: many files → Reports, in parallel, with flat memory.
"""
