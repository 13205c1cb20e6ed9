"""The clean stage's record rules, over a stream of records: text cleaning (:mod:`newssift.data.text`),
rejects with reasons, exact and near duplicates, topics too rare to split. The counts always add up:
read = kept + rejected + duplicates."""
from __future__ import annotations

import sys
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from newssift.data.corpus import Record, Reject
from newssift.data.dedup import NearDuplicateIndex, fingerprint, minhash_values
from newssift.data.text import clean_text, is_blank

MIN_TOPIC_EXAMPLES = 3  # one each for train, validation and test


# The record rules of the clean stage, one implementation each: clean_records below applies them to a stream in
# one process, newssift.engines.ray_data applies them as Ray Data operations (validation, then duplicate ids, then
# cleaning, then exact duplicates, in this order in both).

def cleaned_text_problem(text: str, min_chars: int) -> tuple[str, str] | None:
    """(reason, detail) when the cleaned ``text`` cannot be kept (empty, or shorter than ``min_chars``)."""
    if is_blank(text):
        return "empty", "text is empty or whitespace only"
    if len(text.strip()) < min_chars:
        return "too_short", (f"cleaned text has {len(text.strip())} characters, fewer than "
                             f"clean.min_chars={min_chars}")
    return None


def duplicate_id_reject(source: str, rid: str, first_source: str):
    """A record whose id an earlier valid record (at ``first_source``) already uses: the first one is kept."""
    return Reject(source, "duplicate_id", f"id {rid!r} already used at {first_source}", id=rid)


def exact_duplicate_reject(source: str, rid: str, first_id: str):
    """A record whose cleaned text has the :func:`~newssift.data.dedup.fingerprint` of the earlier kept ``first_id``;
    counted as a duplicate (read = kept + rejected + duplicates)."""
    return Reject(source, "exact_duplicate", f"same text as {first_id!r}", id=rid, extra={"duplicate_of": first_id})


def group_of(rec: Record) -> str:
    """The near-duplicate group of a kept record (as :func:`newssift.data.split.group_of` reads it back): the id
    of the first article of its cluster, or its own id."""
    return rec.extra.get("near_duplicate_of") or rec.id


def drop_rare_topics(kept: list[Record]) -> tuple[list[Record], list[Reject]]:
    """(records kept, rejects ``rare_topic``): a topic needs :data:`MIN_TOPIC_EXAMPLES` *distinct* articles (near
    duplicates grouped, as the split groups them) to be split into train, validation and test, so what the clean
    stage keeps, ``split-data`` accepts. Records without a topic are never rare."""
    articles = Counter(r.topic for r in kept if r.topic is not None)
    groups: dict[str, set[str]] = {}
    for r in kept:
        if r.topic is not None:
            groups.setdefault(r.topic, set()).add(group_of(r))
    rare = {t for t, g in groups.items() if len(g) < MIN_TOPIC_EXAMPLES}
    if not rare:
        return kept, []
    still, rejects = [], []
    for rec in kept:
        if rec.topic in rare:
            n, g = articles[rec.topic], len(groups[rec.topic])
            distinct = f" ({g} distinct after grouping near duplicates)" if g < n else ""
            rejects.append(Reject(rec.source, "rare_topic", f"topic {rec.topic!r} has {n} article(s){distinct}; at "
                                  f"least {MIN_TOPIC_EXAMPLES} distinct ones are needed to split it into "
                                  "train/validation/test", id=rec.id))
        else:
            still.append(rec)
    return still, rejects


def _clean_batch(task: tuple[list[str], int, int, int]) -> list[tuple[str, tuple[str, str] | None, str, Any]]:
    """For each raw text: (cleaned text, problem or None, fingerprint, MinHash values or None). The per-record
    work of :func:`clean_records` that needs no other record, run in worker processes."""
    texts, min_chars, num_perm, seed = task
    out = []
    for raw in texts:
        text = clean_text(raw)
        problem = cleaned_text_problem(text, min_chars)
        if problem is not None:
            out.append((text, problem, "", None))
        else:
            out.append((text, None, fingerprint(text), minhash_values(text, num_perm, seed)))
    return out


@dataclass
class CleanOutcome:
    """What :func:`clean_stream` decided besides the records it yielded, set when the stream is exhausted: the ids
    of yielded records that are then rejected as ``rare_topic``, every reject, and the report."""

    rare_ids: set[str] = field(default_factory=set)
    rejects: list[Reject] = field(default_factory=list)
    report: dict = field(default_factory=dict)


def clean_records(items, **options):
    """Clean a stream of :class:`~newssift.data.corpus.Record` / :class:`~newssift.data.corpus.Reject`.

    Returns ``(kept, rejects, report)``: kept records (text cleaned, ``near_duplicate_of`` set where flagged),
    rejects (every record not kept, with reason), and counts with read = kept + rejected + duplicates. The
    options are those of :func:`clean_stream`; this holds every kept record in memory, ``clean_stream`` does not.
    """
    outcome = CleanOutcome()
    kept = [r for r in clean_stream(items, outcome, **options)]
    return [r for r in kept if r.id not in outcome.rare_ids], outcome.rejects, outcome.report


def clean_stream(items, outcome: CleanOutcome, *, min_chars: int = 20, near_duplicate_threshold: float = 0.85,
                 num_perm: int = 128, num_proc: int = 1, batch_size: int = 256,
                 progress: bool = False) -> Iterator[Record]:
    """The clean stage's rules over a stream: yield each record as soon as it is kept (text cleaned,
    ``near_duplicate_of`` set where flagged), in input order; when the stream ends, ``outcome`` holds the ids of
    yielded records rejected afterwards as ``rare_topic`` (a topic's count is known only at the end), every
    reject and the report. Memory holds the duplicate indexes and a small summary per kept record, not the records
    (the caller writes them out and drops the rare ones: :mod:`newssift.stages.clean`).

    ``num_proc`` processes (0: one per core) clean the text and compute the MinHash signatures, ``batch_size``
    records at a time; duplicate ids, exact and near duplicates are decided here, in input order, so the result
    is the same for any ``num_proc`` and ``batch_size``. ``progress``: a tqdm bar on stderr.
    """
    from tqdm import tqdm

    from newssift.procs import ordered_map, resolve_procs

    kept: list[Record] = []  # a summary of each kept record (no text): what the rare-topic rule and report need
    rejects: list[Reject] = outcome.rejects
    duplicates = 0
    seen_ids: dict[str, str] = {}
    seen_text: dict[str, str] = {}
    near = NearDuplicateIndex(near_duplicate_threshold, num_perm)
    read = 0

    def batches():
        """(items of a batch, the records of it to clean): a duplicate id is rejected before any cleaning."""
        nonlocal read
        batch: list = []
        todo: list[Record] = []
        for item in items:
            read += 1
            if isinstance(item, Record):
                if item.id in seen_ids:
                    item = duplicate_id_reject(item.source, item.id, seen_ids[item.id])
                else:
                    seen_ids[item.id] = item.source
                    todo.append(item)
            batch.append(item)
            if len(batch) >= batch_size:
                yield batch, todo
                batch, todo = [], []
        if batch:
            yield batch, todo

    pending: deque = deque()  # (batch, its records to clean) of the tasks handed out, in order

    def tasks():
        for batch, todo in batches():
            pending.append((batch, todo))
            yield [r.text for r in todo], min_chars, num_perm, near.seed

    bar = tqdm(desc="clean", unit="article", disable=not progress, file=sys.stderr, mininterval=1.0)
    for done in ordered_map(_clean_batch, tasks(), resolve_procs(num_proc)):
        batch, todo = pending.popleft()
        cleaned = dict(zip((id(r) for r in todo), done))
        for item in batch:
            if isinstance(item, Reject):
                rejects.append(item)
                continue
            rec: Record = item
            text, problem, fp, hashvalues = cleaned[id(rec)]
            if problem is not None:
                rejects.append(Reject(rec.source, *problem, id=rec.id))
                continue
            if fp in seen_text:
                duplicates += 1
                rejects.append(exact_duplicate_reject(rec.source, rec.id, seen_text[fp]))
                continue
            seen_text[fp] = rec.id
            rec.text = text
            rec.extra["near_duplicate_of"] = near.add(rec.id, text, hashvalues)
            kept.append(Record(rec.id, "", rec.topic, None if rec.line_labels is None else [], rec.source,
                               {"near_duplicate_of": rec.extra["near_duplicate_of"]}))
            yield rec
        bar.update(len(batch))
    bar.close()

    still, rare_rejects = drop_rare_topics(kept)
    outcome.rare_ids = {r.id for r in rare_rejects}
    kept = still
    rejects.extend(rare_rejects)
    reasons = Counter(r.reason for r in rejects)
    report = {
        "read": read,
        "kept": len(kept),
        "rejected": len(rejects) - duplicates,
        "duplicates": duplicates,
        "near_duplicates_flagged": sum(1 for r in kept if r.extra.get("near_duplicate_of")),
        "reasons": dict(sorted(reasons.items())),
        "topics": dict(sorted(Counter(r.topic or "(none)" for r in kept).items())),
        "with_line_labels": sum(1 for r in kept if r.line_labels is not None),
    }
    assert report["read"] == report["kept"] + report["rejected"] + report["duplicates"]
    outcome.report = report
