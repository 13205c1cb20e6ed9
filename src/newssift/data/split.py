"""Train/validation/test split: stratified by topic, grouped so near duplicates stay together, seeded."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold

from newssift.constants import FAMILIES, NO_SPLIT, SPLIT_DIR, TABLE_SUFFIX, TEXT_SPLIT
from newssift.data.text import split_lines
from newssift.errors import DataError
from newssift.files import read_parquet

SPLITS = ("train", "validation", "test")
_NONE = "\x00none"


def group_of(row: dict) -> str:
    return row.get("near_duplicate_of") or row["id"]


def _fold(y: list[str], groups: list[str], fraction: float, seed: int, what: str = "split.test",
          setting: float | None = None) -> np.ndarray:
    """Indices of one fold holding about ``fraction`` of the rows, stratified by y and grouped.

    Raises :class:`DataError` (naming the params key ``what`` and its value ``setting``) when the largest topic
    has too few articles to cut ``1 / fraction`` folds."""
    n_splits = max(2, round(1 / fraction))
    skf = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    import warnings

    largest = max(Counter(y).values())
    setting = fraction if setting is None else setting
    if len(y) < n_splits or largest < n_splits:  # what scikit-learn would refuse with a ValueError
        raise DataError(
            f"cannot split: {len(y)} articles{' (left after the test split)' if what == 'split.validation' else ''} "
            f"are too few to hold out the {what.split('.')[-1]} split "
            f"({what}={setting:g}), which needs at least {n_splits} articles of one topic; the largest topic has "
            f"{largest}. Add articles or raise {what}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "least populated class has only n members"
        try:
            _, held = next(skf.split(np.zeros(len(y)), y, groups))
        except ValueError as exc:  # any other reason scikit-learn cannot cut these folds
            raise DataError(f"cannot split {len(y)} articles for {what}={setting:g}: {exc}") from None
    return held


def split_rows(rows: list[dict], validation: float, test: float, seed: int) -> dict[str, list[dict]]:
    """Split rows (dicts with id, topic, near_duplicate_of) into train/validation/test.

    Rows are stratified by topic and grouped by near duplicates. A row without a topic (``topic`` null: "no
    topic") is stratified with its near-duplicate group's topic; groups without any topic form a stratum of their
    own, or, when they are fewer than 3 and other rows have topics, go to train (they can still train the
    boilerplate models). So any number of articles without a topic is accepted, as the clean stage keeps them."""
    if len(rows) < 3:
        raise DataError(f"only {len(rows)} usable articles; at least 3 are needed for train/validation/test")
    groups = [group_of(r) for r in rows]
    group_topics: dict[str, Counter] = {}
    for r, g in zip(rows, groups):
        if r.get("topic"):
            group_topics.setdefault(g, Counter())[r["topic"]] += 1
    y = []
    for r, g in zip(rows, groups):
        topic = r.get("topic")
        if not topic and g in group_topics:  # the group's most common topic (ties: the first name)
            topic = min(group_topics[g].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        y.append(topic or _NONE)
    none_groups = {g for g, t in zip(groups, y) if t == _NONE}
    aside = [i for i, t in enumerate(y) if t == _NONE] if 0 < len(none_groups) < 3 and group_topics else []
    idx = np.setdiff1d(np.arange(len(rows)), aside)
    per_topic: dict[str, set] = {}
    for i in idx:
        per_topic.setdefault(y[i], set()).add(groups[i])
    small = {t: len(g) for t, g in per_topic.items() if len(g) < 3}
    if small:
        names = ", ".join(f"{'(no topic)' if t == _NONE else t!r}: {n}" for t, n in sorted(small.items()))
        raise DataError(f"cannot split: each topic needs at least 3 distinct articles (after grouping near "
                        f"duplicates), these have fewer: {names}")
    test_rel = _fold([y[i] for i in idx], [groups[i] for i in idx], test, seed, "split.test", test)
    test_idx = idx[test_rel]
    rest = np.setdiff1d(idx, test_idx)
    val_rel = _fold([y[i] for i in rest], [groups[i] for i in rest], validation / (1 - test), seed + 1,
                    "split.validation", validation)
    val_idx = rest[val_rel]
    train_idx = np.union1d(np.setdiff1d(rest, val_idx), np.asarray(aside, dtype=int))
    out = {name: [rows[i] for i in sorted(ix)] for name, ix in zip(SPLITS, (train_idx, val_idx, test_idx))}
    for name in SPLITS:
        if not out[name]:
            raise DataError(f"cannot split: the {name} split came out empty ({len(rows)} articles)")
    return out


def split_file(name: str, folder: Path = SPLIT_DIR) -> Path:
    """The Parquet file of one split (``train``, ``validation`` or ``test``) in ``folder`` (``data/split`` or
    ``data/articles``)."""
    return Path(folder) / f"{name}{TABLE_SUFFIX}"


def load_split(name: str, folder: Path = SPLIT_DIR) -> list[dict]:
    """The rows of one split (``train``, ``validation`` or ``test``) written by an earlier stage."""
    return read_parquet(split_file(name, folder))


def articles_text_split(path: Path = TEXT_SPLIT) -> str | dict:
    """How ``split_articles`` cut the text of ``data/articles`` (the ``text_split`` its file records): a family
    (that family's trained boilerplate model), ``"none"`` (full text), or ``{"family", "fallback_model",
    "manifest_sha256"}`` (the model folder ``split_articles.fallback_model``). The topic models record it."""
    import json

    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))["text_split"]
    except FileNotFoundError:
        raise DataError(f"{path}: missing; run `newssift split-articles` (or `dvc repro`) first") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise DataError(f"{path}: unreadable ({type(exc).__name__}: {exc}); rerun `newssift split-articles`") \
            from None
    if value not in (*FAMILIES, NO_SPLIT) and not isinstance(value, dict):
        raise DataError(f"{path}: unknown text_split {value!r}; rerun `newssift split-articles`")
    return value


def labelled_docs(rows: list[dict]) -> tuple[list[list[str]], list[list[int]]]:
    """(lines, line labels) of the rows that have line labels: the boilerplate models' training input."""
    docs, labels = [], []
    for r in rows:
        if r.get("line_labels") is not None:
            docs.append(split_lines(r["text"]))
            labels.append(r["line_labels"])
    return docs, labels


def topical(rows: list[dict], field: str = "editorial") -> tuple[list[str], list[str]]:
    """(texts, topics) of the rows that have a topic: the topic models' training input."""
    pairs = [(r[field], r["topic"]) for r in rows if r.get("topic")]
    return [p[0] for p in pairs], [p[1] for p in pairs]
