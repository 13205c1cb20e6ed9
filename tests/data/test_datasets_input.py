"""Bring your own data: corpora read through Hugging Face ``datasets`` (CSV, Parquet, ``save_to_disk``, hub), the
column mapping of ``data.columns``, Parquet stage outputs, corpora with one kind of label, and ``clean`` in
several processes."""
from __future__ import annotations

import json
from pathlib import Path

import datasets
import pandas as pd
import pytest
import yaml
from conftest import make_corpus, run_cli, tiny_params, train_tiny_tfidf

from newssift.config import params_from_dict
from newssift.data.cleaning import clean_records
from newssift.data.corpus import Record, Reject, read_records
from newssift.errors import ConfigError, DataError
from newssift.files import read_jsonl, read_parquet, write_jsonl

TOPICS = ["business", "science", "sport"]  # make_corpus's topics, in ClassLabel order


def _frame(rows: list[dict]) -> pd.DataFrame:
    """The corpus with other column names: body, category, labels (and no id column)."""
    return pd.DataFrame({"body": [r["text"] for r in rows], "category": [r["topic"] for r in rows],
                         "labels": [r["line_labels"] for r in rows]})


MAPPING = {"text": "body", "topic": "category", "line_labels": "labels"}


def _kinds(out) -> list[str]:
    return [o.reason if isinstance(o, Reject) else "ok" for o in out]


# ---- the reader ---------------------------------------------------------------------------------------------------

def test_parquet_with_other_column_names_reads_like_jsonl(tmp_path):
    rows = make_corpus(12, seed=3)
    _frame(rows).to_parquet(tmp_path / "c.parquet")
    write_jsonl(tmp_path / "c.jsonl", [{**r, "id": str(i)} for i, r in enumerate(rows)])
    from_parquet = list(read_records(tmp_path / "c.parquet", columns=MAPPING))
    from_jsonl = list(read_records(tmp_path / "c.jsonl"))
    assert [(r.id, r.text, r.topic, r.line_labels) for r in from_parquet] == \
        [(r.id, r.text, r.topic, r.line_labels) for r in from_jsonl]
    assert from_parquet[4].source == f"{tmp_path / 'c.parquet'}:row 5"


def test_bad_rows_of_a_table_are_rejects_with_the_reasons_of_a_json_line(tmp_path):
    rows = make_corpus(6, seed=4)
    df = _frame(rows)
    df.loc[1, "body"] = None                     # no text
    df.at[2, "labels"] = [1]                      # wrong length
    df.loc[3, "category"] = "  "                  # blank topic
    df.loc[4, "body"] = "a\x00b\x00c\x00d"         # binary
    df.to_parquet(tmp_path / "c.parquet")
    out = list(read_records(tmp_path / "c.parquet", columns=MAPPING))
    assert _kinds(out) == ["ok", "text_not_string", "line_labels_length", "bad_topic", "binary", "ok"]
    assert out[1].source.endswith("c.parquet:row 2") and out[1].id == "1"


def test_csv_cells_are_text_and_line_labels_json(tmp_path):
    rows = make_corpus(5, seed=5)
    df = _frame(rows)
    df["labels"] = [json.dumps(r["line_labels"]) for r in rows]
    df.insert(0, "id", ["007", "8", "9", "10", "11"])
    df.loc[2, "labels"] = "[1, 2"  # not JSON: a reject, not a crash
    df.loc[3, "category"] = ""     # an empty cell is null: no topic
    df.to_csv(tmp_path / "c.csv", index=False)
    out = list(read_records(tmp_path / "c.csv", columns=MAPPING))
    assert _kinds(out) == ["ok", "ok", "bad_line_labels", "ok", "ok"]
    assert out[0].id == "007" and out[0].line_labels == rows[0]["line_labels"] and out[3].topic is None


def test_save_to_disk_datasetdict_with_classlabel_topics(tmp_path):
    rows = make_corpus(12, seed=6)
    ds = datasets.Dataset.from_pandas(_frame(rows)).class_encode_column("category")
    assert ds.features["category"].names == TOPICS
    datasets.DatasetDict({"train": ds.select(range(8)), "test": ds.select(range(8, 12))}).save_to_disk(tmp_path / "d")
    out = list(read_records(tmp_path / "d", columns=MAPPING, split="test"))
    assert [r.topic for r in out] == [r["topic"] for r in rows[8:]]  # names, not class numbers
    assert [r.id for r in out] == ["0", "1", "2", "3"]
    with pytest.raises(DataError, match=r"no split 'validation' in this DatasetDict \(it has \['test', 'train'\]\)"):
        read_records(tmp_path / "d", columns=MAPPING, split="validation")


@pytest.mark.parametrize(("columns", "message"), [
    ({"text": "content"}, r"data.columns.text: no column 'content'; the columns are \['body', 'category', 'labels'\]"),
    ({}, r"no 'text' column; map the column that holds the article text with data.columns"),
])
def test_a_table_without_the_mapped_columns_is_one_error_line(tmp_path, columns, message):
    _frame(make_corpus(3)).to_parquet(tmp_path / "c.parquet")
    with pytest.raises(DataError, match=message):
        list(read_records(tmp_path / "c.parquet", columns=columns))


def test_hub_dataset_is_loaded_by_name_config_and_split(monkeypatch):
    """No hub here: the call ``load_dataset`` gets is checked, and its rows go through the same validation."""
    rows = make_corpus(4, seed=7)
    calls = []

    def fake_load_dataset(*args, **kwargs):
        calls.append((args, kwargs))
        return datasets.Dataset.from_pandas(_frame(rows))

    monkeypatch.setattr(datasets, "load_dataset", fake_load_dataset)
    out = list(read_records("someone/news", fmt="hub", config="en", split="validation", columns=MAPPING))
    assert calls == [(("someone/news", "en"), {"split": "validation"})]
    assert [r.text for r in out] == [r["text"] for r in rows] and out[0].source == "someone/news:row 1"


def test_data_params_check_the_mapping():
    with pytest.raises(ConfigError, match=r"data.columns: 'body' is not a corpus field"):
        params_from_dict({"data": {"columns": {"body": "text"}}})
    with pytest.raises(ConfigError, match=r"data.labels: a labels file is for a folder of .txt files"):
        params_from_dict({"data": {"format": "parquet", "labels": "l.jsonl"}})
    with pytest.raises(ConfigError, match=r"data.format"):
        params_from_dict({"data": {"format": "xlsx"}})


def test_columns_for_a_jsonl_corpus_is_refused(tmp_path):
    write_jsonl(tmp_path / "c.jsonl", make_corpus(3))
    with pytest.raises(DataError, match="data.columns is for CSV, Parquet and datasets corpora"):
        read_records(tmp_path / "c.jsonl", columns={"text": "body"})


# ---- clean in several processes; Parquet outputs ------------------------------------------------------------------

def test_clean_in_two_processes_gives_the_same_records_in_the_same_order():
    rows = make_corpus(60, seed=8)
    # an exact duplicate, an empty text, an id used twice
    rows += [dict(rows[3], id="dup-text"), dict(rows[5], id="blank", text="   ", line_labels=None), dict(rows[7])]

    def run(num_proc, batch_size):
        kept, rejects, report = clean_records((read for read in _records(rows)), num_proc=num_proc,
                                              batch_size=batch_size)
        return [r.to_json() for r in kept], [r.to_json() for r in rejects], report

    one = run(1, 256)
    assert one[2]["duplicates"] == 1 and one[2]["reasons"]["duplicate_id"] == 1 and one[2]["reasons"]["empty"] == 1
    assert run(2, 7) == one
    assert run(2, 1) == one


def _records(rows):
    from newssift.data.corpus import validate

    for i, r in enumerate(rows):
        yield validate(r, f"rows:{i + 1}")


def _params_file(folder: Path, corpus: str, **data) -> Path:
    raw = tiny_params(corpus)
    raw["data"].update(data)
    path = folder / "params.yaml"
    path.write_text(yaml.safe_dump(raw))
    return path


def test_stage_outputs_are_parquet_that_datasets_opens_and_are_deterministic(tmp_path):
    write_jsonl(tmp_path / "c.jsonl", [{**r, "meta": {"n": i}, "url": f"https://x/{i}"}
                                       for i, r in enumerate(make_corpus(30, seed=9))])
    params = _params_file(tmp_path, "c.jsonl")
    for cmd in ("clean", "split-data"):
        assert run_cli(cmd, "--params", str(params), cwd=tmp_path).returncode == 0
    first = {p: (tmp_path / p).read_bytes() for p in ("data/clean/corpus.parquet", "data/split/test.parquet")}
    ds = datasets.load_dataset("parquet", data_files={s: str(tmp_path / f"data/split/{s}.parquet")
                                                      for s in ("train", "validation", "test")})
    assert sum(ds.num_rows.values()) == len(read_parquet(tmp_path / "data/clean/corpus.parquet")) == 30
    assert ds["train"].features["line_labels"].feature.dtype == "int8"
    row = read_parquet(tmp_path / "data/clean/corpus.parquet")[0]
    assert json.loads(row["meta"]) == {"n": 0} and row["url"] == "https://x/0"
    for cmd in ("clean", "split-data"):
        assert run_cli(cmd, "--params", str(params), cwd=tmp_path).returncode == 0
    assert {p: (tmp_path / p).read_bytes() for p in first} == first
    # the stage outputs are corpora: read back without a reject
    again = list(read_records(tmp_path / "data/clean/corpus.parquet"))
    assert len(again) == 30 and all(isinstance(r, Record) for r in again)


# ---- one kind of label --------------------------------------------------------------------------------------------

def _run_stages(folder: Path, params: Path) -> dict[str, str]:
    out = {}
    for cmd in (["clean"], ["split-data"], ["train", "--family", "tfidf", "--task", "boilerplate"],
                ["split-articles"], ["train", "--family", "tfidf", "--task", "topic"],
                ["train", "--family", "transformer", "--task", "boilerplate"],
                ["train", "--family", "transformer", "--task", "topic"], ["evaluate"]):
        proc = run_cli(*cmd, "--params", str(params), cwd=folder)
        assert proc.returncode == 0, (cmd, proc.err)
        out[" ".join(cmd)] = proc.out
    return out


def test_a_corpus_with_line_labels_only_trains_and_scores_the_boilerplate_models(tmp_path):
    rows = [{**r, "topic": None} for r in make_corpus(40, seed=10)]
    write_jsonl(tmp_path / "c.jsonl", rows)
    log = _run_stages(tmp_path, _params_file(tmp_path, "c.jsonl"))
    assert "train_tfidf topic: nothing to train (no article of the train split has a topic)" in \
        log["train --family tfidf --task topic"]
    assert (tmp_path / "models/tfidf/topic/DISABLED").exists()
    metrics = json.loads((tmp_path / "eval/tfidf/metrics.json").read_text())
    assert metrics["enabled"] == 1 and "boilerplate" in metrics and "topic" not in metrics
    assert metrics["boilerplate"]["editorial_f1"] > 0.5

    # `newssift eval` on line-labelled pages without topics: the boilerplate metrics, exit 0
    proc = run_cli("eval", "--models", "models", "--input", "c.jsonl", cwd=tmp_path)
    assert proc.returncode == 0, proc.err
    assert "Boilerplate, line level: 40 articles with line_labels" in proc.out
    assert "Topic: not scored (40 valid records, none with a topic)" in proc.out


def test_eval_scores_line_labels_when_no_topic_model_exists(tmp_path):
    """The measured failure of the issue: a boilerplate model and no topic model at all."""
    models = train_tiny_tfidf(tmp_path / "models")
    import shutil

    shutil.rmtree(models / "tfidf" / "topic")
    write_jsonl(tmp_path / "pages.jsonl", make_corpus(12, seed=11))  # with topics: they cannot be scored
    proc = run_cli("eval", "--models", str(models), "--input", str(tmp_path / "pages.jsonl"))
    assert proc.returncode == 0, proc.err
    assert "Boilerplate, line level: 12 articles" in proc.out
    assert "Topic: not scored (no trained tfidf topic model in" in proc.out
    proc = run_cli("eval", "--models", str(models), "--input", str(tmp_path / "pages.jsonl"), "--json",
                   str(tmp_path / "m.json"))
    assert json.loads((tmp_path / "m.json").read_text())["topic"] is None
    # nothing scorable: topics only, and no topic model
    write_jsonl(tmp_path / "topics.jsonl", [{**r, "line_labels": None} for r in make_corpus(6)])
    proc = run_cli("eval", "--models", str(models), "--input", str(tmp_path / "topics.jsonl"))
    assert proc.returncode == 2 and proc.err.count("\n") == 1
    assert "nothing to score: 6 records have a topic but there is no trained tfidf topic model" in proc.err


def test_a_corpus_with_topics_only_trains_the_topic_models_on_full_text_or_a_fallback_split(tmp_path):
    rows = [{**r, "line_labels": None} for r in make_corpus(45, seed=12)]
    write_jsonl(tmp_path / "c.jsonl", rows)
    log = _run_stages(tmp_path, _params_file(tmp_path, "c.jsonl"))
    assert "nothing to train (no article of the train split has line_labels)" in \
        log["train --family tfidf --task boilerplate"]
    assert "split_articles (none: the corpus has no line labels" in log["split-articles"]
    arts = read_parquet(tmp_path / "data/articles/train.parquet")
    assert all(a["boilerplate_lines"] == 0 for a in arts)
    metrics = json.loads((tmp_path / "eval/tfidf/metrics.json").read_text())
    assert "topic" in metrics and "boilerplate" not in metrics
    proc = run_cli("predict", "-q", "--models", "models", "--input", "c.jsonl", cwd=tmp_path)
    assert proc.returncode == 0, proc.err
    preds = [json.loads(line) for line in proc.out.splitlines()]
    assert len(preds) == 45 and all(p["topic"] in ("business", "science", "sport") for p in preds)

    # with a boilerplate model given in params, the topic models train on cut text
    fallback = train_tiny_tfidf(tmp_path / "fallback") / "tfidf" / "boilerplate"
    params = _params_file(tmp_path, "c.jsonl")
    raw = yaml.safe_load(params.read_text())
    raw["split_articles"]["fallback_model"] = str(fallback)
    params.write_text(yaml.safe_dump(raw))
    proc = run_cli("split-articles", "--params", str(params), cwd=tmp_path)
    assert proc.returncode == 0, proc.err
    assert f"split_articles (tfidf model {fallback})" in proc.out
    arts = read_parquet(tmp_path / "data/articles/train.parquet")
    assert sum(a["boilerplate_lines"] for a in arts) > len(arts)  # junk lines cut


def test_rejects_stay_jsonl(tmp_path):
    df = _frame(make_corpus(9, seed=13))
    df.loc[0, "body"] = None
    df.to_parquet(tmp_path / "c.parquet")
    params = _params_file(tmp_path, "c.parquet", columns=MAPPING)
    proc = run_cli("clean", "--params", str(params), cwd=tmp_path)
    assert proc.returncode == 0, proc.err
    reject = read_jsonl(tmp_path / "data/rejects.jsonl")[0]
    assert reject["reason"] == "text_not_string" and reject["source"] == "c.parquet:row 1"


# ---- dvc repro from each input form -------------------------------------------------------------------------------

def _write_form(work: Path, form: str) -> dict:
    """Write the corpus of ``form`` into ``work``; returns the data params."""
    rows = make_corpus(72, seed=14)
    if form == "parquet_other_columns":
        _frame(rows).to_parquet(work / "corpus.parquet")
        return {"corpus": "corpus.parquet", "columns": MAPPING}
    if form == "csv":
        df = _frame(rows)
        df["labels"] = [json.dumps(r["line_labels"]) for r in rows]
        df.to_csv(work / "corpus.csv", index=False)
        return {"corpus": "corpus.csv", "columns": MAPPING}
    if form == "save_to_disk":
        ds = datasets.Dataset.from_pandas(_frame(rows)).class_encode_column("category")
        ds.save_to_disk(work / "corpus_ds")
        return {"corpus": "corpus_ds", "columns": MAPPING}
    if form == "topics_only":
        write_jsonl(work / "corpus.jsonl", [{**r, "line_labels": None} for r in rows])
        return {"corpus": "corpus.jsonl"}
    assert form == "line_labels_only"
    write_jsonl(work / "corpus.jsonl", [{**r, "topic": None} for r in rows])
    return {"corpus": "corpus.jsonl"}


@pytest.mark.slow
@pytest.mark.parametrize("form", ["parquet_other_columns", "csv", "save_to_disk", "topics_only", "line_labels_only"])
def test_dvc_repro_from_each_input_form(dvc_project, form):
    work, run = dvc_project
    for p in (work / "corpus.jsonl",):
        p.unlink()
    raw = yaml.safe_load((work / "params.yaml").read_text())
    raw["data"].update(_write_form(work, form))
    (work / "params.yaml").write_text(yaml.safe_dump(raw))
    run("git", "init", "-q")
    run("dvc", "init", "-q")
    run("dvc", "config", "core.analytics", "false")
    run("dvc", "repro")
    report = json.loads((work / "reports/clean.json").read_text())
    assert report["read"] == 72 and report["kept"] >= 70
    metrics = json.loads((work / "eval/tfidf/metrics.json").read_text())
    if form != "line_labels_only":
        assert metrics["topic"]["accuracy"] > 0.8, metrics
    else:
        assert "topic" not in metrics and (work / "models/tfidf/topic/DISABLED").exists()
    if form != "topics_only":
        assert metrics["boilerplate"]["editorial_f1"] > 0.8, metrics
    else:
        assert "boilerplate" not in metrics and (work / "models/tfidf/boilerplate/DISABLED").exists()
    again = run("dvc", "repro")
    assert "didn't change" in again or "is up to date" in again


def _square(x: int) -> int:
    return x * x


def test_ordered_map_keeps_order_and_few_tasks_in_flight():
    from newssift.procs import ordered_map

    handed = []

    def tasks():
        for i in range(40):
            handed.append(i)
            yield i

    results = ordered_map(_square, tasks(), num_proc=2, max_pending=4)
    assert next(results) == 0
    assert len(handed) <= 5  # memory bounded by the batches in flight, not by the input
    assert list(results) == [i * i for i in range(1, 40)]
    assert list(ordered_map(_square, [3], num_proc=2)) == [9]  # one task: run here, no pool
