"""Features shared by the models: shallow per-line features (lines) and hashed n-gram TF-IDF (hashing)."""
from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence

import numpy as np

from newssift.constants import MEMO_MODELS


def unique_inverse(items: list) -> tuple[list, np.ndarray]:
    """(distinct items in first-seen order, index of each item in them): ``distinct[inverse[i]] == items[i]``.
    The features do each distinct piece of work (a line, a word) once and repeat its result."""
    distinct = list(dict.fromkeys(items))
    index = dict(zip(distinct, range(len(distinct))))
    return distinct, np.fromiter(map(index.__getitem__, items), dtype=np.int64, count=len(items))


class BoundedMemo:
    """Values of a pure function remembered by key: at most ``limit`` of them (the memo restarts when full), and
    only keys of at most ``max_len`` characters (short lines repeat across articles; whole articles and long
    paragraphs do not, and would only fill the memory).

    The features remember each line's (and each word's) result across batches; the result is exactly the
    function's, remembered or not."""

    def __init__(self, limit: int, max_len: int):
        self.limit, self.max_len = int(limit), int(max_len)
        self.values: dict = {}

    def get_many(self, keys: Sequence[str], compute: Callable[[list], Sequence]) -> list:
        """The value of each of the distinct ``keys``; ``compute(todo)`` gives one value per key of ``todo``."""
        values, max_len = self.values, self.max_len
        todo = [k for k in keys if k not in values]
        if not todo:
            return [values[k] for k in keys]
        kept = [k for k in todo if len(k) <= max_len]
        if len(values) + len(kept) > self.limit:
            values.clear()
            todo, kept = list(keys), [k for k in keys if len(k) <= max_len]
        fresh = dict(zip(todo, compute(todo)))
        values.update((k, fresh[k]) for k in kept)
        return [values[k] if k in values else fresh[k] for k in keys]


_MEMOS: dict[Hashable, BoundedMemo] = {}


def memo(name: Hashable, limit: int, max_len: int) -> BoundedMemo:
    """The process-wide memo called ``name`` (created on first use)."""
    found = _MEMOS.get(name)
    if found is None:
        found = _MEMOS[name] = BoundedMemo(limit, max_len)
    return found


def model_memo(kind: str, model_key: str, limit: int, max_len: int) -> BoundedMemo:
    """The process-wide memo of ``kind`` for one fitted model (``model_key``: a key the model gets when it is
    fitted or loaded). Only the ``MEMO_MODELS`` most recently used models' memos of a kind are kept, so that
    fitting many models in one process (cross-validation, a grid search) does not keep every one's."""
    name = (kind, model_key)
    found = _MEMOS.pop(name, None)  # popped and put back: the dict's order is the order of use
    if found is None:
        found = BoundedMemo(limit, max_len)
        same_kind = [n for n in _MEMOS if isinstance(n, tuple) and len(n) == 2 and n[0] == kind]
        for old in same_kind[:max(len(same_kind) - MEMO_MODELS + 1, 0)]:
            del _MEMOS[old]
    _MEMOS[name] = found
    return found


def clear_memos() -> None:
    """Forget every remembered feature (results are unchanged; the next batches compute them again)."""
    _MEMOS.clear()
