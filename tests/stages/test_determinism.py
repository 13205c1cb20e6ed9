"""Determinism: the same data and params give the same model files, byte for byte, so `dvc repro -f` leaves
dvc.lock unchanged. (Transformer training determinism on CPU is in test_transformer.py.)"""
from __future__ import annotations

import json

import numpy as np
import pytest
import yaml
from conftest import make_corpus

from newssift.artifacts import read_manifest
from newssift.models.tfidf import TfidfBoilerplateClassifier, TfidfTopicClassifier


def _fit_both(rows):
    docs = [r["text"].split("\n") for r in rows]
    labels = [r["line_labels"] for r in rows]
    bp = TfidfBoilerplateClassifier(n_features=2048).fit(docs[:20], labels[:20], docs[20:], labels[20:])
    topic = TfidfTopicClassifier(n_features=2048).fit([r["text"] for r in rows], [r["topic"] for r in rows])
    return bp, topic


def test_tfidf_model_files_are_byte_identical(tmp_path):
    """Two fits of the same data, saved at different times, give identical files."""
    rows = make_corpus(27, seed=4)
    texts = [r["text"] for r in rows]
    docs = [t.split("\n") for t in texts]
    first = _fit_both(rows)
    second = _fit_both(rows)
    for model, name in zip(first, ("bp", "topic")):
        model.save(tmp_path / "a" / name)
    for model, name in zip(second, ("bp", "topic")):
        model.save(tmp_path / "b" / name)
    for name in ("bp", "topic"):
        a, b = tmp_path / "a" / name, tmp_path / "b" / name
        assert sorted(p.name for p in a.iterdir()) == ["manifest.json", "model.safetensors"]
        for f in ("manifest.json", "model.safetensors"):
            assert (a / f).read_bytes() == (b / f).read_bytes(), f"{name}/{f} differs between two saves"
        read_manifest(a)  # the checksums written by training match
    # and the files load and predict exactly like the models that were saved
    bp = TfidfBoilerplateClassifier.load(tmp_path / "a" / "bp")
    for p, q in zip(bp.predict_proba(docs), first[0].predict_proba(docs)):
        np.testing.assert_array_equal(p, q)
    topic = TfidfTopicClassifier.load(tmp_path / "a" / "topic")
    np.testing.assert_array_equal(topic.predict_proba(texts), first[1].predict_proba(texts))


@pytest.mark.slow
def test_dvc_repro_twice_gives_identical_tfidf_models_and_metrics(dvc_project):
    """Two forced `dvc repro -f` runs of the real dvc.yaml on a tiny corpus (transformer disabled): identical
    dvc.lock hashes for models/tfidf/* and the data stages, identical TF-IDF metrics (but the measured speed).
    A stale temporary folder of a killed training next to the models changes nothing for DVC."""
    work, run = dvc_project

    def outs_md5() -> dict:
        lock = yaml.safe_load((work / "dvc.lock").read_text())
        return {o["path"]: o["md5"] for stage in lock["stages"].values() for o in stage.get("outs", [])}

    def metrics() -> dict:
        m = json.loads((work / "eval/tfidf/metrics.json").read_text())
        for task in m.values():
            if isinstance(task, dict):
                task.pop("articles_per_s", None)  # a timing
        return m

    run("git", "init", "-q")
    run("dvc", "init", "-q")
    run("dvc", "config", "core.analytics", "false")
    run("dvc", "repro")
    first, first_metrics = outs_md5(), metrics()
    stale = work / "models" / "tfidf" / ".topic.tmp-999999999-k1ll3d"  # as a SIGKILLed training leaves it
    stale.mkdir()
    (stale / "model.safetensors").write_bytes(b"half a model")
    status = run("dvc", "status")
    assert "changed" not in status and "modified" not in status, status
    run("dvc", "repro", "-f")
    second, second_metrics = outs_md5(), metrics()
    assert not stale.exists()  # the rerun of train_tfidf_topic removed it
    for path in ("models/tfidf/boilerplate", "models/tfidf/topic", "data/clean/corpus.parquet", "data/rejects.jsonl",
                 "data/split", "data/articles"):
        assert first[path] == second[path], path
    assert first_metrics == second_metrics
    assert first_metrics["topic"]["accuracy"] > 0.8
