"""End to end: the pipeline's stages on a tiny corpus in a temporary folder."""
import json

import pytest
from conftest import corpus_with_junk, tiny_params

from newssift.artifacts import read_manifest
from newssift.config import params_from_dict
from newssift.files import read_jsonl, read_parquet
from newssift.inference import load_pipeline
from newssift.stages.clean import run as run_clean
from newssift.stages.evaluate import run as run_evaluate
from newssift.stages.split_articles import run as run_split_articles
from newssift.stages.split_data import run as run_split_data
from newssift.stages.train_tfidf import run as run_train_tfidf
from newssift.stages.train_transformer import run as run_train_transformer


def test_stages_in_order_account_for_every_record(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    n = corpus_with_junk(tmp_path / "corpus.jsonl")
    params = params_from_dict(tiny_params("corpus.jsonl"))
    report = run_clean(params)
    assert report["read"] == n
    assert report["read"] == report["kept"] + report["rejected"] + report["duplicates"]
    assert report["duplicates"] == 1 and report["rejected"] == 2
    rejects = read_jsonl("data/rejects.jsonl")
    assert {r["reason"] for r in rejects} == {"exact_duplicate", "invalid_json", "empty"}

    run_split_data(params)
    split_ids = [r["id"] for s in ("train", "validation", "test") for r in read_parquet(f"data/split/{s}.parquet")]
    assert sorted(split_ids) == sorted(r["id"] for r in read_parquet("data/clean/corpus.parquet"))

    run_train_tfidf(params, "boilerplate")
    run_split_articles(params)
    # the splitter never loses a line: editorial + boilerplate = input
    for s in ("train", "test"):
        for art, rec in zip(read_parquet(f"data/articles/{s}.parquet"), read_parquet(f"data/split/{s}.parquet")):
            assert art["id"] == rec["id"]
            assert art["lines"] == len(rec["text"].split("\n"))
            assert len(art["editorial"].split("\n")) + art["boilerplate_lines"] == art["lines"]
    run_train_tfidf(params, "topic")
    assert read_manifest("models/tfidf/topic")["text_split"] == params.split_articles.model  # no train/serve skew
    run_train_transformer(params, "topic")  # disabled: writes a marker, not a model
    run_train_transformer(params, "boilerplate")
    run_evaluate(params)

    metrics = json.loads((tmp_path / "eval/tfidf/metrics.json").read_text())
    assert metrics["topic"]["accuracy"] > 0.8
    assert metrics["boilerplate"]["editorial_f1"] > 0.8
    for plot in ("topic_confusion.json", "boilerplate_pr.json", "boilerplate_confusion.json"):
        assert (tmp_path / "eval/tfidf/plots/sklearn" / plot).exists()
    assert json.loads((tmp_path / "eval/transformer/metrics.json").read_text()) == {"enabled": 0}
    summary = (tmp_path / "reports/summary.md").read_text()
    assert "| topic | tfidf |" in summary and "| boilerplate | tfidf |" in summary

    pipe = load_pipeline(tmp_path / "models", model="tfidf")
    text = read_parquet("data/split/test.parquet")[0]["text"]
    result = pipe.predict(text)
    assert len(result.lines) == len(text.split("\n"))
    assert result.topic in pipe.topics
    with pytest.raises(Exception, match="not trained"):
        load_pipeline(tmp_path / "models", model="transformer")


@pytest.mark.slow
def test_dvc_repro_on_a_tiny_corpus(dvc_project):
    """`dvc repro` runs the real dvc.yaml, a second run is a no-op, `dvc exp run -S` works."""
    work, run = dvc_project

    run("git", "init", "-q")
    run("dvc", "init", "-q")
    run("dvc", "config", "core.analytics", "false")
    run("dvc", "repro")
    metrics = json.loads((work / "eval/tfidf/metrics.json").read_text())
    assert metrics["topic"]["accuracy"] > 0.8
    lock = (work / "dvc.lock").read_text()
    again = run("dvc", "repro")
    assert "didn't change" in again or "is up to date" in again
    assert (work / "dvc.lock").read_text() == lock
    run("git", "add", "-A")
    run("git", "commit", "-qm", "baseline")
    run("dvc", "exp", "run", "-S", "tfidf.topic.alpha=1e-5")
    shown = run("dvc", "exp", "show", "--no-pager", "--csv")
    assert "topic.accuracy" in shown and "tfidf.topic.alpha" in shown
