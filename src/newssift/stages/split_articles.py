"""Stage ``split_articles``: cut every split's articles into editorial text with the boilerplate model named by
``split_articles.model``; the topic models train on that text.

When that model was not trained (the corpus has no line labels), the model folder ``split_articles.fallback_model``
cuts the text instead, if given; otherwise every article keeps its full text (``boilerplate_lines`` 0).

What cut the text is written to ``data/articles/text_split.json`` (:func:`newssift.data.split.articles_text_split`
reads it): the family of the trained model, ``"none"``, or ``{"family", "fallback_model", "manifest_sha256"}``
for a fallback model (its manifest's checksum covers every file of the folder, so a changed fallback model changes
this file, and the topic models that record it tell inference which model to cut text with)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from newssift.config import Params
from newssift.constants import ARTICLES_DIR, MODELS, NO_SPLIT, TEXT_SPLIT, UNTRAINED
from newssift.data.split import SPLITS, load_split, split_file
from newssift.data.text import split_lines
from newssift.errors import DataError
from newssift.files import write_json, write_parquet
from newssift.models.registry import load_boilerplate_model
from newssift.stages import say

ARTICLE_COLUMNS = {"id": "string", "topic": "string", "editorial": "string", "lines": "int64",
                   "boilerplate_lines": "int64"}


def _model(params: Params):
    """(boilerplate model or None, what it is for the log, the ``text_split`` record)."""
    family = params.split_articles.model
    folder = MODELS / family / "boilerplate"
    if not (folder / UNTRAINED).exists():
        return load_boilerplate_model(family, device=params.transformer.device), family, family
    fallback = params.split_articles.fallback_model
    if fallback is None:
        return (None, "none: the corpus has no line labels and split_articles.fallback_model is null, full text kept",
                NO_SPLIT)
    from newssift.artifacts import DIGEST_FIELD, read_manifest

    path = Path(fallback)
    if not path.is_dir():
        raise DataError(f"{fallback}: split_articles.fallback_model: no such model folder (a trained boilerplate "
                        "model folder, e.g. a copy of models/tfidf/boilerplate trained on the sample)")
    manifest = read_manifest(path, task="boilerplate")
    fam = manifest.get("family")
    record = {"family": fam, "fallback_model": fallback, "manifest_sha256": manifest[DIGEST_FIELD]}
    return load_boilerplate_model(fam, path, device=params.transformer.device), f"{fam} model {fallback}", record


def run(params: Params) -> None:
    model, what, record = _model(params)
    for name in SPLITS:
        rows = load_split(name)
        docs = [split_lines(r["text"]) for r in rows]
        preds = model.predict(docs) if model is not None and docs else [np.zeros(len(d), dtype=int) for d in docs]
        out = []
        for r, lines, pred in zip(rows, docs, preds):
            editorial = "\n".join(line for line, p in zip(lines, pred) if not p)
            out.append({"id": r["id"], "topic": r.get("topic"), "editorial": editorial,
                        "lines": len(lines), "boilerplate_lines": int(np.sum(pred))})
        write_parquet(split_file(name, ARTICLES_DIR), out, ARTICLE_COLUMNS)
        removed = sum(o["boilerplate_lines"] for o in out)
        say(f"split_articles ({what}): {name}: {len(out)} articles, {removed} of "
            f"{sum(o['lines'] for o in out)} lines set aside as boilerplate")
    write_json(TEXT_SPLIT, {"text_split": record})
