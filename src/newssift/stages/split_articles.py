"""Stage ``split_articles``: cut every split's articles into editorial text with the boilerplate model named by
``split_articles.model``; the topic models train on that text."""
from __future__ import annotations

import numpy as np

from newssift.config import Params
from newssift.constants import ARTICLES_DIR
from newssift.data.split import SPLITS, load_split
from newssift.data.text import split_lines
from newssift.files import write_jsonl
from newssift.models.registry import load_boilerplate_model
from newssift.stages import say


def run(params: Params) -> None:
    family = params.split_articles.model
    model = load_boilerplate_model(family, device=params.transformer.device)
    for name in SPLITS:
        rows = load_split(name)
        docs = [split_lines(r["text"]) for r in rows]
        preds = model.predict(docs)
        out = []
        for r, lines, pred in zip(rows, docs, preds):
            editorial = "\n".join(line for line, p in zip(lines, pred) if not p)
            out.append({"id": r["id"], "topic": r.get("topic"), "editorial": editorial,
                        "lines": len(lines), "boilerplate_lines": int(np.sum(pred))})
        write_jsonl(ARTICLES_DIR / f"{name}.jsonl", out)
        removed = sum(o["boilerplate_lines"] for o in out)
        say(f"split_articles ({family}): {name}: {len(out)} articles, {removed} of "
            f"{sum(o['lines'] for o in out)} lines set aside as boilerplate")
