"""What cut the topic models' training text: ``split_articles`` records it (``data/articles/text_split.json``),
the topic models copy it into their manifest (``text_split``), and inference cuts text the same way: a family's
trained model, no split (``none``: every line kept) or the ``split_articles.fallback_model`` folder it recorded,
refused in one line when that folder is gone or holds another model."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import (
    ROOT,
    make_corpus,
    rewrite_manifest,
    run_cli,
    train_tiny_tfidf,
    write_rows,
)

from newssift.artifacts import DIGEST_FIELD, read_manifest
from newssift.cli import main
from newssift.config import params_from_dict
from newssift.constants import TEXT_SPLIT
from newssift.data.split import SPLITS, articles_text_split
from newssift.errors import DataError, ModelLoadError
from newssift.files import write_jsonl
from newssift.inference import load_pipeline
from newssift.stages import split_articles, train_tfidf
from newssift.stages.markers import write_untrained


@pytest.fixture
def topics_only(tmp_path, monkeypatch):
    """A project in ``tmp_path`` (the working directory) whose corpus has topics and no line labels: the split
    files, and an untrained TF-IDF boilerplate model."""
    monkeypatch.chdir(tmp_path)
    rows = [{**r, "line_labels": None} for r in make_corpus(36, seed=3)]
    for k, name in enumerate(SPLITS):
        write_rows(f"data/split/{name}.parquet", rows[12 * k:12 * k + 12])
    write_untrained("tfidf", "boilerplate", "no article of the train split has line_labels: nothing to train")
    return tmp_path


def _params(**split_articles_params):
    return params_from_dict({"tfidf": {"topic": {"n_features": 2048}},
                             "split_articles": {"model": "tfidf", **split_articles_params}})


def _train(params) -> dict:
    split_articles.run(params)
    train_tfidf.run(params, "topic")
    return read_manifest("models/tfidf/topic")


def test_full_text_is_recorded_as_none_and_inference_keeps_every_line(topics_only):
    manifest = _train(_params())
    assert json.loads(TEXT_SPLIT.read_text()) == {"text_split": "none"}
    assert manifest["text_split"] == "none"  # not "tfidf": no TF-IDF model cut this text
    pipe = load_pipeline("models")  # no partial=True needed: the topic model asks for no split
    assert pipe.boilerplate_model is None and pipe.boilerplate_family == "none"
    pred = pipe.predict(make_corpus(1, seed=9)[0]["text"])
    assert pred.lines and not pred.boilerplate and pred.topic is not None
    write_jsonl("labelled.jsonl", make_corpus(6, seed=9))  # topics and line labels: only the topic is scored
    assert main(["eval", "-q", "--models", "models", "--input", "labelled.jsonl", "--json", "m.json"]) == 0
    result = json.loads(Path("m.json").read_text())
    assert result["boilerplate_family"] == "none" and result["topic"] is not None
    assert result["not_scored"]["boilerplate"].startswith("no boilerplate split (the topic model was trained on full")


def test_a_fallback_split_is_recorded_and_used_at_inference(topics_only, tmp_path):
    fallback = train_tiny_tfidf(Path("fb")) / "tfidf" / "boilerplate"
    digest = read_manifest(fallback)[DIGEST_FIELD]
    manifest = _train(_params(fallback_model=str(fallback)))
    recorded = {"family": "tfidf", "fallback_model": "fb/tfidf/boilerplate", "manifest_sha256": digest}
    assert articles_text_split() == recorded and manifest["text_split"] == recorded
    pipe = load_pipeline("models")
    assert pipe.boilerplate_family == "tfidf" and pipe.boilerplate_model is not None
    assert pipe.predict(make_corpus(1, seed=9)[0]["text"]).boilerplate  # the fallback cuts junk lines
    # from another working directory: the folder is found next to models/
    other = tmp_path / "elsewhere"
    other.mkdir()
    proc = run_cli("predict", "-q", "--models", str(tmp_path / "models"), "-", cwd=other,
                   stdin=make_corpus(1, seed=9)[0]["text"].encode())
    assert proc.returncode == 0, proc.err
    assert any(ln["boilerplate"] for ln in json.loads(proc.out)["lines"])

    # the fallback model retrained in place: the topic model's split cannot be honoured, one clear line
    train_tiny_tfidf(Path("fb"), make_corpus(45, seed=4))
    with pytest.raises(ModelLoadError, match=r"trained on text cut by the tfidf boilerplate model "
                                             r"fb/tfidf/boilerplate \(split_articles.fallback_model\), and "
                                             r"fb/tfidf/boilerplate now holds another model: restore it, or choose"):
        load_pipeline("models")
    shutil.rmtree("fb")
    proc = run_cli("predict", "--models", "models", "-", stdin=b"Some text here.\nAnd more.", cwd=tmp_path)
    assert proc.returncode == 2 and proc.err.count("\n") == 1
    assert "fb/tfidf/boilerplate (split_articles.fallback_model), and that folder is not found" in proc.err
    # an explicit choice still works
    assert load_pipeline("models", boilerplate="none").boilerplate_model is None


def test_the_topic_stage_needs_the_record(topics_only):
    split_articles.run(_params())
    TEXT_SPLIT.unlink()
    with pytest.raises(DataError, match="data/articles/text_split.json: missing; run `newssift split-articles`"):
        train_tfidf.run(_params(), "topic")
    TEXT_SPLIT.write_text('{"text_split": "bert"}')
    with pytest.raises(DataError, match="unknown text_split 'bert'"):
        train_tfidf.run(_params(), "topic")


@pytest.mark.parametrize("value", ["tfidf", "transformer", "none", None, "missing"])
def test_old_and_new_text_split_values_load(tmp_path, value):
    models = train_tiny_tfidf(tmp_path / "models")
    manifest = dict(read_manifest(models / "tfidf" / "topic"))
    manifest.pop("text_split", None)
    if value != "missing":
        manifest["text_split"] = value
    rewrite_manifest(models / "tfidf" / "topic", manifest)
    pipe = load_pipeline(models)
    assert pipe.boilerplate_family == ("none" if value == "none" else "tfidf")


@pytest.mark.parametrize("value", ["bert", "", 3, {"family": "tfidf"},
                                   {"family": "x", "fallback_model": "fb", "manifest_sha256": "0" * 64},
                                   {"family": "tfidf", "fallback_model": "fb", "manifest_sha256": "abc"}])
def test_a_bad_text_split_is_one_load_error(tmp_path, value):
    models = train_tiny_tfidf(tmp_path / "models")
    rewrite_manifest(models / "tfidf" / "topic", {**read_manifest(models / "tfidf" / "topic"), "text_split": value})
    with pytest.raises(ModelLoadError, match=r"manifest.json: field 'text_split': expected tfidf, transformer, none"):
        load_pipeline(models)


def test_dvc_reruns_split_articles_for_another_fallback_and_training_for_its_record():
    """``split_articles.fallback_model`` is a param of the stage (a new path reruns it); the record it writes is
    inside ``data/articles``, a dep of every topic training stage (another fallback model retrains them)."""
    stages = yaml.safe_load((ROOT / "dvc.yaml").read_text())["stages"]
    assert "split_articles" in stages["split_articles"]["params"]
    assert "data/articles" in stages["split_articles"]["outs"]
    assert TEXT_SPLIT.parent.as_posix() == "data/articles"
    assert "data/articles" in stages["train_tfidf_topic"]["deps"]
    assert stages["train_transformer"]["foreach"]["topic"] == "data/articles"
