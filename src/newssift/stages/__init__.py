"""The DVC stages, one thin module each (``dvc.yaml`` runs them through the ``newssift`` command): a stage reads
its params and files, calls the library, and writes its outputs. Paths are fixed (:mod:`newssift.constants`, the
same as in ``dvc.yaml``); every tunable comes from ``params.yaml``. Only the command line imports this package.
"""
from __future__ import annotations

from newssift.errors import DataError


def say(msg: str) -> None:
    print(f"[newssift] {msg}", flush=True)


def need(kind: str, n: int, split: str) -> None:
    """A clear error when a split has nothing to train on."""
    if n == 0:
        raise DataError(f"no {kind} in the {split} split: the corpus needs "
                        + ("'line_labels'" if kind == "articles with line labels" else "'topic'")
                        + " on its records to train this model")


def check_task(task: str) -> None:
    if task not in ("topic", "boilerplate"):
        raise DataError(f"unknown task {task!r} (expected topic or boilerplate)")
