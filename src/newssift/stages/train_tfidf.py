"""Stage ``train_tfidf_*``: fit a TF-IDF model for one task on the train split, tune it on validation, write its
verified model folder. The topic model records how its training text was cut (``text_split``, as
``split_articles`` wrote it: a family, ``none`` or a fallback model); inference cuts text that way by default."""
from __future__ import annotations

import time

from newssift.config import Params
from newssift.constants import ARTICLES_DIR, MODELS
from newssift.data.split import articles_text_split, labelled_docs, load_split, topical
from newssift.errors import DataError
from newssift.stages import check_task, say
from newssift.stages.markers import nothing_to_train


def run(params: Params, task: str) -> None:
    from newssift.models.tfidf import TfidfBoilerplateClassifier, TfidfTopicClassifier

    check_task(task)
    t0 = time.perf_counter()
    out = MODELS / "tfidf" / task
    if task == "boilerplate":
        docs, labels = labelled_docs(load_split("train"))
        vdocs, vlabels = labelled_docs(load_split("validation"))
        if nothing_to_train("tfidf", task, len(docs)):
            return
        model = TfidfBoilerplateClassifier.from_params(params.tfidf.boilerplate, seed=params.seed)
        model.fit(docs, labels, vdocs or None, vlabels or None)
        model.save(out, {"train_articles": len(docs), "train_lines": sum(map(len, docs))})
        say(f"train_tfidf boilerplate: {len(docs)} articles, {sum(map(len, docs))} lines, "
            f"threshold {model.threshold_:.2f}, {time.perf_counter() - t0:.1f}s -> {out}")
    else:
        texts, topics = topical(load_split("train", ARTICLES_DIR))
        if nothing_to_train("tfidf", task, len(texts)):
            return
        if len(set(topics)) < 2:
            raise DataError(f"topic training needs at least 2 topics, the train split has {sorted(set(topics))}")
        model = TfidfTopicClassifier.from_params(params.tfidf.topic, seed=params.seed).fit(texts, topics)
        model.save(out, {"train_articles": len(texts), "text_split": articles_text_split()})
        say(f"train_tfidf topic: {len(texts)} articles, {len(model.classes_)} topics, "
            f"{time.perf_counter() - t0:.1f}s -> {out}")
