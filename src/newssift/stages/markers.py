"""Model folders that hold no model: what a training stage writes when it has nothing to train (the corpus has no
labels for its task) or its family is disabled, so that DVC gets its output and loaders get one clear line."""
from __future__ import annotations

from newssift.artifacts import model_dir_writer
from newssift.constants import MODELS, UNTRAINED
from newssift.stages import say


def write_untrained(family: str, task: str, reason: str) -> None:
    """Write ``models/<family>/<task>`` as a verified folder that holds no model, only why (a stage with nothing
    to train: DVC gets its output, loaders get one clear line)."""
    with model_dir_writer(MODELS / family / task, {"family": family, "task": task, "disabled": True}) as tmp:
        (tmp / UNTRAINED).write_text(reason + "\n", encoding="utf-8")


def nothing_to_train(family: str, task: str, n: int) -> bool:
    """True (after writing an untrained model folder and saying so in one line) when the train split has no
    article labelled for ``task``: a corpus with one kind of label trains the other task's models only."""
    if n:
        return False
    what = "line_labels" if task == "boilerplate" else "a topic"
    write_untrained(family, task, f"no article of the train split has {what}: nothing to train")
    say(f"train_{family} {task}: nothing to train (no article of the train split has {what}); wrote an untrained "
        f"marker to models/{family}/{task}")
    return True
