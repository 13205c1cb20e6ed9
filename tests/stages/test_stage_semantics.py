"""One record semantics across stages: what ``clean`` keeps, every later stage accepts. And the rough edges of
the Python API and the command line: ``predict_many`` with a string or a bad batch size, ``--batch-size 0``, and
the permissions of the files newssift writes.

``topic: null`` means "no topic": such articles pass clean and are split like any other (a few go to train, many
form a stratum of their own); the rare-topic rule of clean counts distinct articles as the split does; the files
clean and split-data write are corpora that ``predict`` and ``eval`` read without a reject.
"""
from __future__ import annotations

import json
import os
import stat
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import make_corpus, run_cli, train_tiny_tfidf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newssift.cli import main
from newssift.data.cleaning import clean_records
from newssift.data.corpus import Record, read_records, validate
from newssift.data.split import SPLITS, split_rows
from newssift.errors import DataError
from newssift.files import read_parquet, write_json, write_jsonl
from newssift.inference import load_pipeline


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> Path:
    return train_tiny_tfidf(tmp_path_factory.mktemp("semantics-models"))


def _params(tmp_path: Path, corpus: str) -> str:
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump({"data": {"corpus": corpus}}), encoding="utf-8")
    return str(path)


# --------------------------------------------------------------------------------------------------------------
# what clean keeps, every later stage accepts
# --------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("n_without", [1, 2])
def test_a_few_articles_without_topic_pass_clean_and_split_data(tmp_path, monkeypatch, capsys, n_without):
    """It used to pass clean and then stop split-data ("each topic needs at least 3 distinct articles")."""
    monkeypatch.chdir(tmp_path)
    rows = make_corpus(30, seed=31)
    extra = make_corpus(n_without, seed=32)
    for k, r in enumerate(extra):
        r["id"] = f"no-topic-{k}"
        if k % 2:
            r["topic"] = None
        else:
            del r["topic"]
    write_jsonl("c.jsonl", rows + extra)
    params = _params(tmp_path, "c.jsonl")
    assert main(["clean", "--params", params]) == 0
    assert main(["split-data", "--params", params]) == 0, capsys.readouterr().err
    parts = {s: read_parquet(f"data/split/{s}.parquet") for s in SPLITS}
    assert sorted(r["id"] for p in parts.values() for r in p) == sorted(r["id"] for r in rows + extra)
    assert {r["id"] for r in parts["train"]} >= {r["id"] for r in extra}  # too few for a stratum: train
    assert main(["train", "--family", "tfidf", "--task", "boilerplate", "--params", params]) == 0


def test_many_articles_without_topic_are_a_stratum_of_their_own(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rows = make_corpus(30, seed=33)
    for r in rows[:12]:
        r["topic"] = None
    write_jsonl("c.jsonl", rows)
    params = _params(tmp_path, "c.jsonl")
    assert main(["clean", "--params", params]) == 0
    assert main(["split-data", "--params", params]) == 0
    none_in = {s: sum(r["topic"] is None for r in read_parquet(f"data/split/{s}.parquet")) for s in SPLITS}
    assert sum(none_in.values()) == 12 and none_in["test"] > 0 and none_in["train"] > 0


def test_an_article_without_topic_stays_with_its_near_duplicate_group():
    rows = [{"id": f"{t}{i}", "topic": t} for t in ("a", "b") for i in range(10)]
    rows += [{"id": "copy-of-a3", "topic": None, "near_duplicate_of": "a3"},
             {"id": "copy-of-b5", "topic": None, "near_duplicate_of": "b5"}]
    parts = split_rows(rows, 0.15, 0.2, 0)
    where = {r["id"]: s for s, p in parts.items() for r in p}
    assert where["copy-of-a3"] == where["a3"] and where["copy-of-b5"] == where["b5"]
    assert sorted(where) == sorted(r["id"] for r in rows)


def test_files_clean_and_split_data_write_are_corpora_that_predict_and_eval_read(tmp_path, monkeypatch, models):
    """Odd but valid records (integer id, null and padded topics, passthrough fields, lone surrogates and CR line
    ends in the text, a near duplicate) go through clean and split-data; the files written are then read by
    predict and eval without a single reject (they hold near_duplicate_of, which the reader accepts)."""
    monkeypatch.chdir(tmp_path)
    rows = make_corpus(30, seed=34)
    rows[0]["id"] = 12345
    rows[1]["topic"] = None
    rows[2]["topic"] = f"  {rows[2]['topic']}  "
    rows[3].update(url="https://example.com/a", title="A title", meta={"n": [1, 2.5, None]})
    rows[4]["text"] = rows[4]["text"].replace("\n", "\r", 2) + " \ud800"
    rows[5] = {**rows[6], "id": "near-copy", "text": rows[6]["text"].replace(".", ". Indeed", 1)}
    write_jsonl("c.jsonl", rows)
    params = _params(tmp_path, "c.jsonl")
    assert main(["clean", "--params", params]) == 0
    assert main(["split-data", "--params", params]) == 0
    for path in ["data/clean/corpus.parquet"] + [f"data/split/{s}.parquet" for s in SPLITS]:
        again = list(read_records(path))
        assert again and all(isinstance(r, Record) for r in again), path
    proc = run_cli("eval", "--models", str(models), "--input", "data/clean/corpus.parquet", cwd=tmp_path)
    assert proc.returncode == 0 and "invalid 0" in proc.err, proc.err
    proc = run_cli("predict", "-q", "--models", str(models), "--input", "data/split/test.parquet", cwd=tmp_path)
    assert proc.returncode == 0, proc.err
    assert len(proc.out.splitlines()) == len(read_parquet("data/split/test.parquet"))


record = st.fixed_dictionaries(
    {"id": st.sampled_from([f"r{i}" for i in range(40)]),
     "text": st.sampled_from([make_corpus(40, seed=35)[i]["text"] for i in range(40)] + ["", "short", "x\x00y"]),
     "topic": st.sampled_from(["a", "b", "c", None, "  ", 3])})


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(record, min_size=3, max_size=40), st.integers(0, 5))
def test_split_never_refuses_a_record_that_clean_kept(rows, seed):
    """Whatever clean keeps, the split either cuts or refuses for the size of the data set as a whole (too few
    articles for the fractions), never for one record (a topic or a missing topic clean let through)."""
    items = [validate(r, f"c:{i}") for i, r in enumerate(rows)]
    kept, _, report = clean_records(items, near_duplicate_threshold=0.5)
    assert report["read"] == len(rows)
    split_input = [r.to_json() for r in kept]
    try:
        parts = split_rows(split_input, 0.15, 0.2, seed)
    except DataError as exc:
        assert "each topic needs at least 3 distinct articles" not in str(exc), str(exc)
        return
    assert Counter(r["id"] for p in parts.values() for r in p) == Counter(r["id"] for r in split_input)


# --------------------------------------------------------------------------------------------------------------
# rough edges
# --------------------------------------------------------------------------------------------------------------

def test_predict_many_refuses_a_string_instead_of_reading_one_text_per_character(models):
    pipe = load_pipeline(models)
    for one in ("An article as one string.", b"bytes", bytearray(b"x")):
        with pytest.raises(TypeError, match=r"expects a list \(or other iterable\) of texts, got one "):
            pipe.predict_many(one)
    with pytest.raises(TypeError, match="ids must be a list with one id per text, got one str"):
        pipe.predict_many(["one", "two", "six"], ids="abc")
    assert len(pipe.predict_many(("a text", "another text"))) == 2
    assert len(pipe.predict_many(t for t in ["a generator of texts"])) == 1


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "8", None])
def test_predict_many_refuses_a_bad_batch_size_with_a_clear_message(models, bad):
    pipe = load_pipeline(models)
    with pytest.raises(ValueError, match=r"^batch_size must be a whole number >= 1, got "):
        pipe.predict_many(["a text"], batch_size=bad)


def test_predict_many_takes_a_numpy_integer_batch_size(models):
    assert len(load_pipeline(models).predict_many(["a", "b", "c"], batch_size=np.int64(2))) == 3


@pytest.mark.parametrize("value", ["0", "-3", "two"])
def test_cli_batch_size_that_is_not_a_positive_number_is_one_error_line(tmp_path, value):
    (tmp_path / "a.txt").write_text("Some text.", encoding="utf-8")
    proc = run_cli("predict", "--batch-size", value, str(tmp_path / "a.txt"))
    assert proc.returncode == 2
    error_lines = [line for line in proc.err.splitlines() if "error:" in line]
    assert len(error_lines) == 1 and "argument --batch-size: expected" in error_lines[0]


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_written_files_get_the_usual_permissions_not_0600(tmp_path, monkeypatch, models):
    """Every file newssift writes goes through files.atomic_file (a mkstemp file, 0600, made 0666 less the
    umask); model folders come from mkdtemp (0700), made 0777 less the umask."""
    monkeypatch.chdir(tmp_path)
    old = os.umask(0o022)
    try:
        write_jsonl("rows.jsonl", [{"a": 1}])
        write_json("obj.json", {"a": 1})
        write_jsonl("c.jsonl", make_corpus(12, seed=36))
        assert main(["clean", "--params", _params(tmp_path, "c.jsonl")]) == 0
        root = train_tiny_tfidf(tmp_path / "m")
        (tmp_path / "a.txt").write_text(make_corpus(1)[0]["text"], encoding="utf-8")
        assert main(["predict", "-q", "--models", str(models), "-o", "out.jsonl", "a.txt"]) == 0
    finally:
        os.umask(old)
    for name in ("rows.jsonl", "obj.json", "data/clean/corpus.parquet", "data/rejects.jsonl", "reports/clean.json",
                 "out.jsonl"):
        assert _mode(tmp_path / name) == 0o644, name
    for task in ("boilerplate", "topic"):
        folder = root / "tfidf" / task
        assert _mode(folder) == 0o755
        assert {p.name: _mode(p) for p in folder.iterdir()} == {"model.safetensors": 0o644, "manifest.json": 0o644}
    assert json.loads((tmp_path / "out.jsonl").read_text())["id"] == "a"
