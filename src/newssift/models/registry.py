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


def import_tfidf_without_pandas() -> None:
    """Import the TF-IDF models (and scikit-learn) without importing pandas.

    scikit-learn 1.9's ``sklearn.utils.fixes`` imports pandas, when it is installed, for one helper of its ARFF
    reader; pandas and the pyarrow it pulls in are about a fifth of the start-up of ``newssift predict`` with the
    TF-IDF models, which never use them. While these modules are imported, ``import pandas`` fails (scikit-learn
    then keeps ``pd = None``, as without pandas); pandas imports normally afterwards. Nothing changes when
    scikit-learn or pandas is already imported.
    """
    if "sklearn" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # `import pandas` raises ImportError
    try:
        import newssift.models.tfidf  # noqa: F401
    finally:
        if "pandas" in sys.modules and sys.modules["pandas"] is None:
            del sys.modules["pandas"]
