"""Features shared by the models: shallow per-line features (lines) and hashed n-gram TF-IDF (hashing)."""
from __future__ import annotations

import numpy as np


def unique_inverse(items: list) -> tuple[list, np.ndarray]:
    """(distinct items in first-seen order, index of each item in them): ``distinct[inverse[i]] == items[i]``.
    The features do each distinct piece of work (a line, a word) once and repeat its result."""
    index: dict = {}
    inverse = np.fromiter((index.setdefault(x, len(index)) for x in items), dtype=np.int64, count=len(items))
    return list(index), inverse
