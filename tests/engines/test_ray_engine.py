"""``newssift predict --engine ray``: the shipped sample corpus plus bad records through a real local Ray
instance with 2 CPUs and 2 prediction actors, compared article for article with the single-process
``newssift predict`` and record for record with the clean stage (``clean_records``).

Skipped when the Ray extra is not installed (``pip install -e ".[ray]"``). Models: tiny TF-IDF models trained
in a few seconds (the predictions are compared, not judged).

Both runs use ``--batch-size 1``: the TF-IDF topic model's probabilities can differ in their 6th (last written)
decimal with the composition of a batch (float32 arithmetic; the single-process command shows the same between
``--batch-size 17`` and ``64``), and the engine's batches are not the single-process ones. One article per batch,
the outputs are equal to the last digit. With the default batch size they agree to 1e-6
(:func:`test_ray_engine_parquet_input`).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, train_tiny_tfidf

from newssift.cli import main

SAMPLE = ROOT / "data" / "sample" / "corpus.jsonl"
PRED_COLUMNS = ["id", "source", "editorial", "lines", "topic", "topic_probabilities", "error"]


def _bad_records(first: dict) -> list[str]:
    dup_text = "  " + first["text"].upper() + "\n"  # same fingerprint: case and whitespace folded
    return [
        '{"id": "bad-json", "text": "no closing brace"',                              # invalid_json
        json.dumps({"id": "empty-text", "text": "  \n\t "}),                        # empty
        json.dumps({"id": "number-text", "text": 42}),                               # text_not_string
        json.dumps({"id": "dup-of-first", "text": dup_text}),                        # exact_duplicate
        json.dumps({"id": first["id"], "text": "Another article that reuses an id already taken."}),  # duplicate_id
        "",                                                                          # blank line: not a record
    ]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    path = tmp_path_factory.mktemp("ray_corpus") / "corpus.jsonl"
    bad = _bad_records(first)
    # bad records at the start, in the middle and at the end
    path.write_text("\n".join([bad[0], *lines[:100], *bad[1:3], *lines[100:], *bad[3:]]) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> Path:
    return train_tiny_tfidf(tmp_path_factory.mktemp("ray_models") / "models")


@pytest.fixture(scope="module")
def ray_local():
    ray = pytest.importorskip("ray", reason='the Ray engine extra is not installed (pip install -e ".[ray]")')
    pytest.importorskip("ray.data", reason='Ray Data is not installed (pip install -e ".[ray]")')
    for attempt in range(3):  # Ray gives its node 30 s to start: an overloaded machine can miss that
        try:
            ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
            break
        except Exception:
            ray.shutdown()
            if attempt == 2:
                raise
    try:
        yield ray
    finally:
        ray.shutdown()


def _read_parquet(folder: Path) -> list[dict]:
    import pyarrow.parquet as pq

    rows = pq.read_table(folder).to_pylist()
    for r in rows:  # map<string, double> reads back as (key, value) pairs
        if r["topic_probabilities"] is not None:
            r["topic_probabilities"] = dict(r["topic_probabilities"])
    return rows


def test_ray_engine_equals_single_process_and_clean_stage(ray_local, corpus, models, tmp_path, capsys):
    from newssift.data.cleaning import clean_records
    from newssift.data.corpus import read_records
    from newssift.engines.ray_data import output_columns

    # the engine: 2 actors on a local Ray instance with 2 CPUs, through the command line
    out_dir = tmp_path / "engine_out"
    code = main(["predict", "--engine", "ray", "--input", str(corpus), "--output", str(out_dir),
                 "--models", str(models), "--jobs", "2", "--batch-size", "1"])
    summary = capsys.readouterr().err
    assert code == 1, summary  # some records rejected
    assert "2 worker(s)" in summary
    rows = _read_parquet(out_dir)
    assert list(rows[0]) == output_columns()
    assert output_columns()[:len(PRED_COLUMNS)] == PRED_COLUMNS

    # the single-process command on the same file
    local_out, local_err = tmp_path / "local.jsonl", tmp_path / "local_errors.jsonl"
    proc = subprocess.run([sys.executable, "-m", "newssift", "predict", "--input", str(corpus), "--output",
                           str(local_out), "--errors", str(local_err), "--models", str(models), "-q",
                           "--batch-size", "1"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    local = {r["source"]: r for r in map(json.loads, local_out.read_text(encoding="utf-8").splitlines())}
    local_failed = {r["source"]: r for r in map(json.loads, local_err.read_text(encoding="utf-8").splitlines())}

    # the clean stage's rules on the same file
    kept, rejects, report = clean_records(read_records(corpus, max_chars=5_000_000), min_chars=20)
    assert report["reasons"].get("rare_topic", 0) == 0  # (a training rule, not applied by the engine)

    by_source = {r["source"]: r for r in rows}
    assert len(by_source) == len(rows) == report["read"] == 320 + 5  # every record read is one row
    engine_kept = {s: r for s, r in by_source.items() if r["reason"] is None}
    engine_rejected = {s: r for s, r in by_source.items() if r["reason"] is not None}

    # same records kept and rejected as the clean stage, with the same reasons and messages
    assert sorted(engine_kept) == sorted(r.source for r in kept)
    assert {s: (r["id"], r["reason"], r["error"], r["duplicate_of"]) for s, r in engine_rejected.items()} == \
        {j.source: (j.id, j.reason, j.detail, j.extra.get("duplicate_of")) for j in rejects}
    reasons = {r["reason"] for r in engine_rejected.values()}
    assert {"invalid_json", "empty", "text_not_string", "exact_duplicate", "duplicate_id"} <= reasons
    dup = next(r for r in engine_rejected.values() if r["id"] == "dup-of-first")
    assert dup["reason"] == "exact_duplicate" and dup["duplicate_of"] == json.loads(SAMPLE.open().readline())["id"]

    # read = kept + rejected + duplicates
    n_dup = sum(r["reason"] == "exact_duplicate" for r in engine_rejected.values())
    assert len(rows) == len(engine_kept) + (len(engine_rejected) - n_dup) + n_dup
    assert (len(engine_kept), len(engine_rejected) - n_dup, n_dup) == \
        (report["kept"], report["rejected"], report["duplicates"])
    assert f"read {len(rows)}, processed {len(engine_kept)}, rejected {len(engine_rejected) - n_dup}, " \
           f"duplicates {n_dup}" in summary

    # every kept article: exactly what the single-process newssift predict wrote for it
    assert engine_kept and set(engine_kept) <= set(local)
    for source, r in engine_kept.items():
        assert {c: r[c] for c in PRED_COLUMNS} == local[source], source
    # what the single-process command could not use, the engine rejected for the same reason
    for source, f in local_failed.items():
        assert engine_rejected[source]["reason"] == f["reason"], source
    # the rest of the engine's rejects are the clean stage's duplicates (single-process predict keeps them)
    assert {s for s in engine_rejected if s not in local_failed} <= set(local)
    assert all(engine_rejected[s]["reason"] in ("exact_duplicate", "duplicate_id")
               for s in engine_rejected if s not in local_failed)


def test_ray_engine_parquet_input(ray_local, models, tmp_path):
    """A Parquet corpus (sources ``file:row``; a null is an absent key), default batch size: the predictions of
    ``Pipeline.predict_many``, topic probabilities to 1e-6."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from newssift.engines.ray_data import run_predict
    from newssift.inference import load_pipeline

    good = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()[:40]]
    good.append({"id": "null-text", "text": None, "topic": None, "line_labels": None})  # missing_text
    pq.write_table(pa.Table.from_pylist(good), tmp_path / "corpus.parquet")
    counts = run_predict(str(tmp_path / "corpus.parquet"), str(tmp_path / "out"), models, workers=2, quiet=True)
    assert (counts["read"], counts["kept"], counts["rejected"], counts["duplicates"]) == (41, 40, 1, 0)
    assert counts["reasons"] == {"missing_text": 1}
    rows = {r["id"]: r for r in _read_parquet(tmp_path / "out")}
    assert rows["null-text"]["source"] == f"{tmp_path / 'corpus.parquet'}:41"

    expected = load_pipeline(models).predict_many([g["text"] for g in good[:40]], [g["id"] for g in good[:40]])
    for k, want in enumerate(expected):
        got = rows[want.id]
        assert got["source"] == f"{tmp_path / 'corpus.parquet'}:{k + 1}" and got["reason"] is None
        assert (got["editorial"], got["lines"], got["topic"]) == (want.editorial, want.to_dict()["lines"], want.topic)
        assert got["topic_probabilities"] == pytest.approx(want.topic_probabilities, abs=1.01e-6)


@pytest.mark.parametrize("args, message", [
    (["--engine", "ray", "a.txt"], "not FILE arguments"),
    (["--engine", "ray", "--output", "o"], "needs --input"),
    (["--engine", "ray", "--input", "c.jsonl"], "needs --output FOLDER"),
    (["--engine", "ray", "--input", "c.jsonl", "--output", "o", "--errors", "e.jsonl"], "not to --errors"),
    (["--engine", "ray", "--input", "c.jsonl", "--output", "o", "--format", "text"], "writes Parquet"),
])
def test_ray_engine_usage_errors(args, message, capsys):
    """Mistakes in the options are usage errors (exit 2) before Ray is imported or started."""
    with pytest.raises(SystemExit) as exc:
        main(["predict", *args])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err
