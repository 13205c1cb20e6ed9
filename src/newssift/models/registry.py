"""Where a family's models live and how each is loaded: the one path from a model folder to a fitted model,
shared by the stages, :func:`newssift.load_pipeline`, the Ray engine and the benches."""
from __future__ import annotations

import importlib
import sys
import types
from pathlib import Path

from newssift.artifacts import load_errors
from newssift.constants import FAMILIES, MODELS, NO_SPLIT, UNTRAINED
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


def text_split_of(topic_folder: Path) -> str | dict | None:
    """How the topic model's training text was cut (its manifest's ``text_split``): a family (that family's
    trained boilerplate model), ``"none"`` (full text), ``{"family", "fallback_model", "manifest_sha256"}`` (the
    model folder ``split_articles.fallback_model``), or None for a model that does not record it."""
    from newssift.artifacts import read_manifest

    return read_manifest(topic_folder).get("text_split")


def fallback_folder(models_dir: Path, topic: Path, split: dict) -> Path:
    """The fallback boilerplate model that cut the topic model's training text: the recorded folder (as given in
    params.yaml: relative to the working directory or to the project that holds ``models_dir``), checked to be the
    same model (its manifest's checksum). Raises :class:`ModelLoadError` in one line when it cannot be used."""
    from newssift.artifacts import DIGEST_FIELD, read_manifest

    path = Path(split["fallback_model"])
    found = []
    for cand in dict.fromkeys([path] if path.is_absolute() else [path, models_dir.resolve().parent / path]):
        if cand.is_dir():
            if read_manifest(cand, family=split["family"], task="boilerplate", verify=False).get(DIGEST_FIELD) \
                    == split["manifest_sha256"]:
                return cand
            found.append(cand)
    what = f"{found[0]} now holds another model" if found else "that folder is not found"
    raise ModelLoadError(f"{topic}: this topic model was trained on text cut by the {split['family']} boilerplate "
                         f"model {path} (split_articles.fallback_model), and {what}: restore it, or choose the split "
                         "(--boilerplate-model, load_pipeline(boilerplate=...))")


def task_folders(models_dir: str | Path, model: str, boilerplate: str | None = None,
                 partial: bool = False) -> tuple[dict[str, Path | None], str]:
    """``({task: model folder}, boilerplate family)`` for a pipeline of ``model`` topics.

    ``boilerplate=None`` cuts text the way the topic model's training text was cut (recorded in its manifest):
    with that family's boilerplate model (from the folder that holds both families; a family's own folder uses
    its own), with no split (``"none"``: the boilerplate folder is None, every line is kept), or with the
    fallback model it recorded (:func:`fallback_folder`); models that do not record it use their own family's
    split. ``boilerplate="none"`` asks for no split.
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
        recorded = text_split_of(topic) if topic is not None else None
        if isinstance(recorded, dict):
            return {"boilerplate": fallback_folder(models_dir, topic, recorded), "topic": topic}, recorded["family"]
        if recorded == NO_SPLIT:
            boilerplate = NO_SPLIT
        elif recorded in FAMILIES and family_folder(models_dir, model) != models_dir \
                and (family_folder(models_dir, recorded) / "boilerplate").is_dir():  # the other family: from models/
            boilerplate = recorded
    if boilerplate == NO_SPLIT:
        if topic is None:
            raise topic_error or ModelLoadError(f"{family_folder(models_dir, model)}: no topic model here, and "
                                                "no boilerplate split asked for: nothing to run")
        return {"boilerplate": None, "topic": topic}, NO_SPLIT
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


# Optional packages scikit-learn 1.9 imports at start-up for features the TF-IDF models never use: pandas (for one
# helper of its ARFF reader, in sklearn.utils.fixes; with the pyarrow it pulls in, about a fifth of the start-up of
# `newssift predict`) and rich (for its progress-bar callback, sklearn.callback; about 0.1 s).
LEAN_IMPORT_SKIPS = ("pandas", "rich")
# Modules scikit-learn imports at start-up only for functions that the TF-IDF models never call: scipy.stats
# (0.6-0.7 s, most of it building the docstrings of its distributions), whose `rankdata` (metrics, model
# selection) and `gmean` (a loss link) it binds at import; utils.fixes reaches `scipy.stats.mode` only when called.
# The stand-in lasts until something really uses the module.
LEAN_IMPORT_DEFERRED = {"scipy.stats": ("gmean", "rankdata")}


class _DeferredModule(types.ModuleType):
    """Stands in for a module during :func:`import_tfidf_lean`.

    ``from module import f`` of a listed function binds a forwarder that imports the real module at its first call;
    any other attribute imports the real module at once. The stand-in leaves ``sys.modules`` either way, so every
    later import gets the real module.
    """

    def __init__(self, name: str, functions: tuple[str, ...]):
        super().__init__(name)
        self._functions = functions

    def __getattr__(self, attr: str):
        if attr.startswith("__"):  # import machinery probing (__path__, ...): a plain module, not a package
            raise AttributeError(attr)
        if attr in self._functions:
            return _forwarder(self.__name__, attr)
        return getattr(_real_module(self.__name__), attr)


def _real_module(name: str):
    if isinstance(sys.modules.get(name), _DeferredModule):
        del sys.modules[name]
    return importlib.import_module(name)


def _forwarder(module: str, name: str):
    def call(*args, **kwargs):
        return getattr(_real_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__module__ = module
    call.__doc__ = f"{module}.{name}, imported at its first call."
    return call


def import_tfidf_lean() -> None:
    """Import the TF-IDF models (and scikit-learn) without the optional packages of :data:`LEAN_IMPORT_SKIPS` and
    with the modules of :data:`LEAN_IMPORT_DEFERRED` deferred.

    While these modules are imported, ``import pandas`` / ``import rich`` fail, and scikit-learn goes on as it
    does without them (``pd = None``; no rich progress bar); they import normally afterwards. ``scipy.stats`` is
    imported at the first call of a function scikit-learn took from it, if ever. Nothing changes when
    scikit-learn or one of these modules is already imported. Only for a process that runs the TF-IDF models and
    nothing else of scikit-learn (the command line's start-up).
    """
    if "sklearn" in sys.modules or any(name in sys.modules for name in LEAN_IMPORT_SKIPS):
        return
    deferred = [name for name in LEAN_IMPORT_DEFERRED if name not in sys.modules]
    for name in LEAN_IMPORT_SKIPS:
        sys.modules[name] = None  # type: ignore[assignment]  # `import name` raises ImportError
    for name in deferred:
        sys.modules[name] = _DeferredModule(name, LEAN_IMPORT_DEFERRED[name])
    try:
        import newssift.models.tfidf  # noqa: F401
    finally:
        for name in LEAN_IMPORT_SKIPS:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
        for name in deferred:
            if isinstance(sys.modules.get(name), _DeferredModule):
                del sys.modules[name]
