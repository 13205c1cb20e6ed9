"""Stage ``train_transformer@<task>``: fine-tune the transformer for one task (the curves go to DVCLive), tune it
on validation, write its verified model folder. With ``transformer.enabled: false`` it writes a marker instead."""
from __future__ import annotations

import contextlib
import time

from newssift.config import Params
from newssift.constants import ARTICLES_DIR, MODELS, TRAIN_LOGS
from newssift.data.split import articles_text_split, labelled_docs, load_split, topical
from newssift.files import write_json
from newssift.stages import check_task, need, say
from newssift.stages.markers import nothing_to_train, write_untrained


def run(params: Params, task: str) -> None:
    check_task(task)
    logdir = TRAIN_LOGS / "transformer" / task
    tp = params.transformer
    if not tp.enabled:
        write_untrained("transformer", task, "transformer.enabled is false in params.yaml")
        write_json(logdir / "metrics.json", {"enabled": False})
        say(f"train_transformer {task}: skipped (transformer.enabled is false)")
        return
    from newssift.models.transformer import (
        TransformerBoilerplateClassifier,
        TransformerTopicClassifier,
    )
    from newssift.models.transformer.base import is_main_process
    from newssift.tracking import open_live

    t0 = time.perf_counter()
    out = MODELS / "transformer" / task
    if task == "boilerplate":
        docs, labels = labelled_docs(load_split("train"))
    else:
        texts, topics = topical(load_split("train", ARTICLES_DIR))
        text_split = articles_text_split()  # before training: a missing file fails now, not in an hour
    if not (docs if task == "boilerplate" else texts):
        if is_main_process():  # under torchrun every rank gets here; one writes
            nothing_to_train("transformer", task, 0)
            write_json(logdir / "metrics.json", {"enabled": True, "trained": False})
        return
    # under torchrun / accelerate launch every rank runs this stage; only the main one logs and writes
    main = is_main_process()
    with (open_live(logdir) if main else contextlib.nullcontext(None)) as live:
        if task == "boilerplate":
            vdocs, vlabels = labelled_docs(load_split("validation"))
            need("articles with line labels", len(vdocs), "validation")
            model = TransformerBoilerplateClassifier(tp).fit(docs, labels, vdocs, vlabels, live=live)
            model.save(out)
        else:
            vtexts, vtopics = topical(load_split("validation", ARTICLES_DIR))
            need("articles with a topic", len(vtexts), "validation")
            model = TransformerTopicClassifier(tp).fit(texts, topics, vtexts, vtopics, live=live)
            model.save(out, {"text_split": text_split})
    if main:
        say(f"train_transformer {task}: {time.perf_counter() - t0:.1f}s -> {out}")
