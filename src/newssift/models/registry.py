"""Where a family's models live and how each is loaded: the one path from a model folder to a fitted model,
shared by the stages, :func:`newssift.load_pipeline`, the Ray engine and the benches."""
from __future__ import annotations

import sys
from pathlib import Path

from newssift.artifacts import load_errors
from newssift.constants import FAMILIES, MODELS, UNTRAINED
from newssift.errors import ModelLoadError


def family_folder(models_dir: Path, family: str) -> Path:
    """``models_dir`` itself when it is one family's folder (holding ``boilerplate/`` and ``topic/``), else
    ``models_dir/<family>``."""
    models_dir = Path(models_dir)
    if (models_dir / "boilerplate").is_dir() and (models_dir / "topic").is_dir():
        return models_dir
    return models_dir / family


def check_family(family: str) -> None:
    if family not in FAMILIES:
        raise ModelLoadError(f"unknown model family {family!r}; choose one of {', '.join(FAMILIES)}")


def text_split_of(topic_folder: Path) -> str | None:
    """The family of the boilerplate split that cut the topic model's training text (its manifest's
    ``text_split``), or None for a model that does not record it."""
    from newssift.artifacts import read_manifest

    split = read_manifest(topic_folder).get("text_split")
    return split if split in FAMILIES else None


def task_folders(models_dir: str | Path, model: str, boilerplate: str | None = None,
                 partial: bool = False) -> tuple[dict[str, Path | None], str]:
    """``({task: model folder}, boilerplate family)`` for a pipeline of ``model`` topics.

    ``boilerplate=None`` takes the split the topic model was trained behind (recorded in its manifest), so that
    inference cuts text the way training did; models that do not record it use their own family's split.
    ``partial``: a task whose model folder is missing or holds no trained model (a corpus with one kind of label)
    is None instead of an error, as long as the other task has a model."""
    models_dir = Path(models_dir)
    check_family(model)
    topic_error: ModelLoadError | None = None
    try:
        topic = _task_folder(models_dir, model, "topic")
        if partial and not topic.is_dir():
            topic = None
    except ModelLoadError as exc:
        if not partial or untrained_reason(family_folder(models_dir, model) / "topic") is None:
            raise
        topic, topic_error = None, exc
    if boilerplate is None:
        boilerplate = model
        if topic is not None and family_folder(models_dir, model) != models_dir:  # the other family: from models/
            recorded = text_split_of(topic)
            if recorded is not None and (family_folder(models_dir, recorded) / "boilerplate").is_dir():
                boilerplate = recorded
    check_family(boilerplate)
    if boilerplate != model and family_folder(models_dir, model) == models_dir:
        raise ModelLoadError(f"{models_dir}: a {boilerplate} boilerplate model with {model} topics needs the "
                             "folder that holds tfidf/ and transformer/, not one family's folder")
    try:
        bp = _task_folder(models_dir, boilerplate, "boilerplate")
        if partial and not bp.is_dir():
            bp = None
    except ModelLoadError:
        if not partial or untrained_reason(family_folder(models_dir, boilerplate) / "boilerplate") is None:
            raise
        bp = None
    if bp is None and topic is None:
        if topic_error is not None:
            raise topic_error
        raise ModelLoadError(f"{family_folder(models_dir, model)}: neither a topic nor a boilerplate model here "
                             "(run `dvc repro`)")
    return {"boilerplate": bp, "topic": topic}, boilerplate


def _task_folder(models_dir: Path, family: str, task: str) -> Path:
    folder = family_folder(models_dir, family)
    if not folder.is_dir():
        raise ModelLoadError(f"{folder}: no trained {family} models here (run `dvc repro`, or pass the folder "
                             "that holds tfidf/ and transformer/)")
    if (folder / task / UNTRAINED).exists():
        raise ModelLoadError(f"{folder / task}: the {family} model was not trained "
                             f"({untrained_reason(folder / task)})")
    return folder / task


def untrained_reason(task_folder: Path) -> str | None:
    """Why the model folder holds no model (its ``DISABLED`` file, written when there was nothing to train or the
    family was disabled), or None for a folder that holds a model."""
    marker = Path(task_folder) / UNTRAINED
    if not marker.exists():
        return None
    try:
        return marker.read_text(encoding="utf-8", errors="replace").strip() or "no reason given"
    except OSError:
        return "no reason given"


def load_boilerplate_model(family: str, folder: Path | None = None, device: str = "auto",
                           quantize: str | None = None):
    check_family(family)
    folder = folder or MODELS / family / "boilerplate"
    with load_errors(folder):  # a value of the manifest the loader cannot use: one ModelLoadError line
        if family == "tfidf":
            from newssift.models.tfidf import TfidfBoilerplateClassifier
            return TfidfBoilerplateClassifier.load(folder)
        from newssift.models.transformer import TransformerBoilerplateClassifier
        return TransformerBoilerplateClassifier.load(folder, device=device, quantize=quantize)


def load_topic_model(family: str, folder: Path | None = None, device: str = "auto", quantize: str | None = None):
    check_family(family)
    folder = folder or MODELS / family / "topic"
    with load_errors(folder):
        if family == "tfidf":
            from newssift.models.tfidf import TfidfTopicClassifier
            return TfidfTopicClassifier.load(folder)
        from newssift.models.transformer import TransformerTopicClassifier
        return TransformerTopicClassifier.load(folder, device=device, quantize=quantize)


def import_skops_without_torch() -> None:
    """Import skops.io without importing torch.

    skops builds its list of trusted scikit-learn types with ``sklearn.utils.all_estimators()``, which walks
    every sklearn module, including ``sklearn.externals.array_api_compat.torch``: that imports torch (about a
    second and hundreds of MB) although no TF-IDF model needs it. While skops is imported, ``import torch`` is
    made to fail; the walk skips that module (``pkgutil.walk_packages`` ignores packages that fail to import) and
    the trusted-type list is the same. Nothing changes when torch or skops is already imported.
    """
    if "skops.io" in sys.modules or "torch" in sys.modules:
        return
    import importlib.abc

    class _NoTorch(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "torch" or name.startswith("torch."):
                raise ModuleNotFoundError(f"No module named {name!r} (blocked while importing skops)", name=name)
            return None

    blocker = _NoTorch()
    sys.meta_path.insert(0, blocker)
    try:
        import skops.io  # noqa: F401
    except ImportError:
        pass  # a skops that needs torch: imported normally below
    finally:
        sys.meta_path.remove(blocker)
    import skops.io  # noqa: F401,F811
