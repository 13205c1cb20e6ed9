"""Stage ``split_data``: train/validation/test, stratified by topic and grouped by near duplicates."""
from __future__ import annotations

from newssift.config import Params
from newssift.constants import CLEAN, SPLIT_DIR
from newssift.data.corpus import RECORD_COLUMNS
from newssift.data.split import split_file, split_rows
from newssift.files import read_parquet, write_parquet
from newssift.stages import say


def run(params: Params) -> None:
    rows = read_parquet(CLEAN)
    parts = split_rows(rows, params.split.validation, params.split.test, params.split.seed)
    for name, part in parts.items():
        write_parquet(split_file(name, SPLIT_DIR), part, RECORD_COLUMNS)
    say("split_data: " + ", ".join(f"{k} {len(v)}" for k, v in parts.items()))
