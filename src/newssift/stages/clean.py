"""Stage ``clean``: read the corpus, clean and de-duplicate it; every record is kept or rejected with a reason."""
from __future__ import annotations

from newssift.config import Params
from newssift.constants import CLEAN, CLEAN_REPORT, REJECTS
from newssift.data.cleaning import clean_records
from newssift.data.corpus import read_records
from newssift.errors import DataError
from newssift.files import write_json, write_jsonl
from newssift.stages import say


def run(params: Params) -> dict:
    p = params.clean
    items = read_records(params.data.corpus, params.data.labels, max_chars=p.max_chars)
    kept, rejects, report = clean_records(items, min_chars=p.min_chars,
                                          near_duplicate_threshold=p.near_duplicate_threshold,
                                          num_perm=p.num_perm)
    write_jsonl(CLEAN, (r.to_json() for r in kept))
    write_jsonl(REJECTS, (r.to_json() for r in rejects))
    write_json(CLEAN_REPORT, report)
    say(f"clean: read {report['read']}, kept {report['kept']}, rejected {report['rejected']}, "
        f"duplicates {report['duplicates']}, near duplicates flagged {report['near_duplicates_flagged']}"
        + (f"; reasons {report['reasons']} (see {REJECTS})" if rejects else ""))
    if not kept:
        raise DataError(f"{params.data.corpus}: no usable articles after cleaning (see {REJECTS})")
    return report
