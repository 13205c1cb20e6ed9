"""Stage ``clean``: read the corpus, clean and de-duplicate it; every record is kept or rejected with a reason."""
from __future__ import annotations

import sys

from newssift.config import Params
from newssift.constants import CLEAN, CLEAN_REPORT, REJECTS
from newssift.data.cleaning import clean_records
from newssift.data.corpus import corpus_source, read_records
from newssift.errors import DataError
from newssift.data.corpus import RECORD_COLUMNS
from newssift.files import write_json, write_jsonl, write_parquet
from newssift.stages import say


def run(params: Params) -> dict:
    p = params.clean
    items = read_records(params.data.corpus, max_chars=p.max_chars, **corpus_source(params.data))
    kept, rejects, report = clean_records(items, min_chars=p.min_chars,
                                          near_duplicate_threshold=p.near_duplicate_threshold,
                                          num_perm=p.num_perm, num_proc=p.num_proc, batch_size=p.batch_size,
                                          progress=sys.stderr.isatty())
    write_parquet(CLEAN, (r.to_row() for r in kept), RECORD_COLUMNS)
    write_jsonl(REJECTS, (r.to_json() for r in rejects))
    write_json(CLEAN_REPORT, report)
    say(f"clean: read {report['read']}, kept {report['kept']}, rejected {report['rejected']}, "
        f"duplicates {report['duplicates']}, near duplicates flagged {report['near_duplicates_flagged']}"
        + (f"; reasons {report['reasons']} (see {REJECTS})" if rejects else ""))
    if not kept:
        raise DataError(f"{params.data.corpus}: no usable articles after cleaning (see {REJECTS})")
    return report
