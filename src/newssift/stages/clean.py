"""Stage ``clean``: read the corpus, clean and de-duplicate it; every record is kept or rejected with a reason.

Kept records are written out as they are decided (to a spill file next to the output), not held in memory: a
topic's article count is known only at the end, so the output is the spill file without the records then
rejected as ``rare_topic``. Memory is bounded by the batches in flight and the duplicate indexes."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from newssift.config import Params
from newssift.constants import CLEAN, CLEAN_REPORT, REJECTS
from newssift.data.cleaning import CleanOutcome, clean_stream
from newssift.data.corpus import RECORD_COLUMNS, corpus_source, read_records
from newssift.errors import DataError
from newssift.files import iter_parquet, write_json, write_jsonl, write_parquet
from newssift.stages import say


def run(params: Params) -> dict:
    p = params.clean
    items = read_records(params.data.corpus, max_chars=p.max_chars, **corpus_source(params.data))
    outcome = CleanOutcome()
    kept = clean_stream(items, outcome, min_chars=p.min_chars, near_duplicate_threshold=p.near_duplicate_threshold,
                        num_perm=p.num_perm, num_proc=p.num_proc, batch_size=p.batch_size,
                        progress=sys.stderr.isatty())
    CLEAN.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f".{CLEAN.name}.spill-", dir=CLEAN.parent) as spill_dir:
        spill = Path(spill_dir) / "kept.parquet"
        write_parquet(spill, (r.to_row() for r in kept), RECORD_COLUMNS)
        write_parquet(CLEAN, (row for row in iter_parquet(spill) if row["id"] not in outcome.rare_ids),
                      RECORD_COLUMNS)
    rejects, report = outcome.rejects, outcome.report
    write_jsonl(REJECTS, (r.to_json() for r in rejects))
    write_json(CLEAN_REPORT, report)
    say(f"clean: read {report['read']}, kept {report['kept']}, rejected {report['rejected']}, "
        f"duplicates {report['duplicates']}, near duplicates flagged {report['near_duplicates_flagged']}"
        + (f"; reasons {report['reasons']} (see {REJECTS})" if rejects else ""))
    if not report["kept"]:
        raise DataError(f"{params.data.corpus}: no usable articles after cleaning (see {REJECTS})")
    return report
