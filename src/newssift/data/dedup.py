"""Exact and near-duplicate detection.

Exact duplicates are articles whose cleaned text is identical after case and whitespace folding; all but the
first are set aside. Near duplicates (estimated Jaccard similarity of word 5-gram shingles at or above a
threshold, via MinHash LSH) are kept but flagged with the id of the first article of their cluster, so that the
split keeps them on the same side.
"""
from __future__ import annotations

import hashlib
import re

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

_WORD_RE = re.compile(r"\w+")


def fingerprint(text: str) -> str:
    """Key for exact duplicates: case-folded text with whitespace collapsed."""
    folded = " ".join(text.casefold().split())
    return hashlib.sha1(folded.encode("utf-8")).hexdigest()


def shingles(text: str, k: int = 5) -> set[bytes]:
    words = _WORD_RE.findall(text.casefold())
    if len(words) < k:
        return {" ".join(words).encode("utf-8")}
    return {" ".join(words[i:i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


def minhash_values(text: str, num_perm: int = 128, seed: int = 1) -> LeanMinHash:
    """The MinHash signature of ``text``'s word 5-gram shingles (what :class:`NearDuplicateIndex` compares), in
    its compact, picklable form (a worker process computes it, the index uses it)."""
    m = MinHash(num_perm=num_perm, seed=seed)
    m.update_batch(sorted(shingles(text)))
    return LeanMinHash(m)


class NearDuplicateIndex:
    """Incremental near-duplicate finder: :meth:`add` returns the id of an earlier similar document, or None."""

    def __init__(self, threshold: float = 0.85, num_perm: int = 128, seed: int = 1):
        self.threshold = threshold
        self.num_perm = num_perm
        self.seed = seed
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._sigs: dict[str, np.ndarray] = {}  # the signatures' hash values only (memory: 8 bytes x num_perm each)
        self._root: dict[str, str] = {}

    def add(self, doc_id: str, text: str, signature: LeanMinHash | None = None) -> str | None:
        """Add a document; ``signature``: its :func:`minhash_values`, when already computed (by a worker
        process), else it is computed from ``text``."""
        m = minhash_values(text, self.num_perm, self.seed) if signature is None else signature
        best, best_sim = None, -1.0
        for cand in self._lsh.query(m):
            sim = float(np.mean(self._sigs[cand] == m.hashvalues))
            if sim >= self.threshold and (sim > best_sim or (sim == best_sim and cand < best)):
                best, best_sim = cand, sim
        self._lsh.insert(doc_id, m)
        self._sigs[doc_id] = m.hashvalues
        root = self._root.get(best, best) if best is not None else None
        self._root[doc_id] = root if root is not None else doc_id
        return root
