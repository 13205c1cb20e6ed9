"""Experiment tracking with DVCLive: the one way the stages open a logger."""
from __future__ import annotations

from pathlib import Path


def open_live(folder: Path | str):
    """A DVCLive logger that writes metrics and plots only (``dvcyaml=False``: dvc.yaml declares them).

    DVCLive raises in a Git repository that has no commit yet (``git init`` without a first commit); there it is
    opened without its DVC/Git integration, which it would not use anyway (``save_dvc_exp=False``)."""
    from dvclive import Live

    kwargs = dict(dvcyaml=False, save_dvc_exp=False, report=None)
    try:
        return Live(str(folder), **kwargs)
    except Exception as exc:
        if type(exc).__name__ != "SCMError":
            raise
    import dvclive.live as dvclive_live

    original = dvclive_live.get_dvc_repo
    dvclive_live.get_dvc_repo = lambda: None
    try:
        return Live(str(folder), **kwargs)
    finally:
        dvclive_live.get_dvc_repo = original
