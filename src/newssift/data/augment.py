"""Page-composition augmentation for the boilerplate models: new training pages from parts of real ones.

A labelled page falls into three parts along its lines: the *header* (the lines before its first editorial line),
the *body* (its first through its last editorial line, the boilerplate inside included) and the *footer* (the lines
after its last editorial line). A composed page is the header of one training page, the body of another and the
footer of a third, drawn at random (seeded). Every line keeps its own label, so nothing is invented; what changes is
which junk stands around which article. A model trained on real pages alone can learn a site's menu or an article's
position by heart; on composed pages it has to tell the article from the junk by what the lines say and how they sit
in the page. Used by the line tagger (``transformer.boilerplate.augment_pages``); measured on real pages by
bench/boilerplate_real.py and bench/tagger_frozen.py (README, "Benchmarks on real data").
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newssift.errors import ConfigError


def page_parts(labels: Sequence[int]) -> tuple[int, int] | None:
    """(first, end) of the page's body: its first editorial (0) line and one past its last; None without editorial
    lines."""
    ed = np.flatnonzero(np.asarray(labels, dtype=int) == 0)
    return (int(ed[0]), int(ed[-1]) + 1) if len(ed) else None


def compose_pages(docs: Sequence[Sequence[str]], labels: Sequence[Sequence[int]], n: int, seed: int
                  ) -> tuple[list[list[str]], list[list[int]]]:
    """``n`` composed pages (header of page a + body of page b + footer of page c, a, b and c drawn independently
    from the pages that have editorial lines; see the module docstring) and their labels. Fewer than two such pages:
    none (a page composed from itself would only repeat it)."""
    if n < 0:
        raise ConfigError(f"compose_pages: n must be >= 0 (got {n})")
    parts = [(k, p) for k, p in enumerate(map(page_parts, labels)) if p is not None]
    if n == 0 or len(parts) < 2:
        return [], []
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(parts), size=(n, 3))
    out_docs: list[list[str]] = []
    out_labels: list[list[int]] = []
    for a, b, c in picks.tolist():
        (ka, (fa, _)), (kb, (fb, eb)), (kc, (_, ec)) = parts[a], parts[b], parts[c]
        out_docs.append(list(docs[ka][:fa]) + list(docs[kb][fb:eb]) + list(docs[kc][ec:]))
        out_labels.append([int(v) for v in labels[ka][:fa]] + [int(v) for v in labels[kb][fb:eb]]
                          + [int(v) for v in labels[kc][ec:]])
    return out_docs, out_labels
