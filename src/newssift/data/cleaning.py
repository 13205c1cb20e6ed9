"""The clean stage's record rules, over a stream of records: text cleaning (:mod:`newssift.data.text`),
rejects with reasons, exact and near duplicates, topics too rare to split. The counts always add up:
read = kept + rejected + duplicates."""
from __future__ import annotations

from collections import Counter

from newssift.data.corpus import Record, Reject
from newssift.data.dedup import NearDuplicateIndex, fingerprint
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


def clean_records(items, *, min_chars: int = 20, near_duplicate_threshold: float = 0.85, num_perm: int = 128):
    """Clean a stream of :class:`~newssift.data.corpus.Record` / :class:`~newssift.data.corpus.Reject`.

    Returns ``(kept, rejects, report)``: kept records (text cleaned, ``near_duplicate_of`` set where flagged),
    rejects (every record not kept, with reason), and counts with read = kept + rejected + duplicates.
    """
    kept: list[Record] = []
    rejects: list[Reject] = []
    duplicates = 0
    seen_ids: dict[str, str] = {}
    seen_text: dict[str, str] = {}
    near = NearDuplicateIndex(near_duplicate_threshold, num_perm)
    read = 0
    for item in items:
        read += 1
        if isinstance(item, Reject):
            rejects.append(item)
            continue
        rec: Record = item
        if rec.id in seen_ids:
            rejects.append(duplicate_id_reject(rec.source, rec.id, seen_ids[rec.id]))
            continue
        seen_ids[rec.id] = rec.source
        text = clean_text(rec.text)
        problem = cleaned_text_problem(text, min_chars)
        if problem is not None:
            rejects.append(Reject(rec.source, *problem, id=rec.id))
            continue
        fp = fingerprint(text)
        if fp in seen_text:
            duplicates += 1
            rejects.append(exact_duplicate_reject(rec.source, rec.id, seen_text[fp]))
            continue
        seen_text[fp] = rec.id
        rec.text = text
        rec.extra["near_duplicate_of"] = near.add(rec.id, text)
        kept.append(rec)

    kept, rare_rejects = drop_rare_topics(kept)
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
    return kept, rejects, report
