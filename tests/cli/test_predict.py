"""Inference from Python (load_pipeline / Pipeline) and from the command line (newssift predict / eval).

A tiny TF-IDF model folder is trained once per session on ``make_corpus``; CLI tests run ``python -m newssift``
in a subprocess (the real entry point: exit codes, stdin, stderr, no traceback), a few edge cases run ``main()``
in-process to stay fast.
"""
from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import make_corpus, rewrite_manifest, run_cli, train_tiny_tfidf

from newssift.cli import main
from newssift.data.text import clean_text, split_lines
from newssift.errors import DataError, ModelLoadError
from newssift.inference import Prediction, load_pipeline


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory) -> Path:
    """<tmp>/models/tfidf/{boilerplate,topic}, trained on make_corpus(60) with small vocabularies."""
    return train_tiny_tfidf(tmp_path_factory.mktemp("inference") / "models")


@pytest.fixture(scope="session")
def pipe(models_dir):
    return load_pipeline(models_dir, model="tfidf")


@pytest.fixture
def articles():
    return make_corpus(6, seed=99)  # not seen in training


def heavy_imports(proc) -> list[str]:
    return sorted(m for m in proc.imported if m.split(".")[0] in ("torch", "transformers", "dvclive"))


# --------------------------------------------------------------------------------------------------------------
# Python API
# --------------------------------------------------------------------------------------------------------------

def test_predict_one_article(pipe, articles):
    art = articles[0]
    raw = "  " + art["text"].replace("\n", "\r\n") + "\u200b"  # CRLF and a zero-width space: cleaned away
    res = pipe.predict(raw, id=art["id"])
    assert isinstance(res, Prediction) and res.error is None and res.id == art["id"]
    cleaned = split_lines(clean_text(raw))
    assert [ln.text for ln in res.lines] == cleaned  # the lines partition the cleaned text, in order
    assert [int(ln.boilerplate) for ln in res.lines] == art["line_labels"]
    assert res.editorial == "\n".join(ln.text for ln in res.lines if not ln.boilerplate)
    assert res.boilerplate == [ln.text for ln in res.lines if ln.boilerplate]
    assert all(0.0 <= ln.probability <= 1.0 for ln in res.lines)
    assert set(res.topic_probabilities) == set(pipe.topics) == {"business", "science", "sport"}
    assert sum(res.topic_probabilities.values()) == pytest.approx(1.0, abs=1e-4)
    assert res.topic == max(res.topic_probabilities, key=res.topic_probabilities.get) == art["topic"]
    d = res.to_dict()
    assert json.loads(json.dumps(d)) == d and d["lines"][0].keys() == {"text", "boilerplate", "probability"}


def test_prediction_to_dict_equals_dataclasses_asdict(pipe, articles):
    """to_dict is built by hand for speed; it must stay exactly asdict's result (every field, in order)."""
    from dataclasses import asdict

    preds = pipe.predict_many(articles[:3] + [""], ids=["a", "b", None, "bad"])
    assert preds[-1].error
    for pred in preds:
        d = pred.to_dict()
        assert d == asdict(pred) and list(d) == list(asdict(pred))
        assert json.dumps(d) == json.dumps(asdict(pred))


def test_a_prediction_pickles_compactly_and_comes_back_equal(pipe, articles):
    """Worker processes send predictions packed (line texts as one string, flags and probabilities as arrays);
    each comes back equal, field types included, also with no lines, an error, or a line holding a newline."""
    import pickle

    from newssift.inference import Line, Prediction

    preds = pipe.predict_many([a["text"] for a in articles[:3]] + [""], ids=["a", "b", None, "bad"])
    assert preds[0].lines and preds[-1].error
    odd = [Prediction("x", "", [Line("one\ntwo", True, 0.25), Line("", False, 1 / 3)]),
           Prediction("y", "", [Line("", True, 0.5)], "sport", {"sport": 1.0})]
    for pred in preds + odd:
        back = pickle.loads(pickle.dumps(pred))
        assert back == pred and back.to_dict() == pred.to_dict()
        assert [type(v) for ln in back.lines for v in vars(ln).values()] == \
            [type(v) for ln in pred.lines for v in vars(ln).values()]
    assert all(type(k) is str for k in preds[0].topic_probabilities)  # plain str topics, not numpy's str_
    many = Prediction("z", "", [Line(f"line {i}", i % 2 == 0, i / 100) for i in range(100)])
    assert len(pickle.dumps(many)) < 0.6 * len(pickle.dumps(many.__dict__))  # not one pickled object per line


def test_predict_many_keeps_order_and_records_errors(pipe, articles):
    texts = [a["text"] for a in articles[:3]] + ["", "\x00\x01binary", "   \n \t"]
    ids = [a["id"] for a in articles[:3]] + ["empty", "bin", "blank"]
    preds = pipe.predict_many(texts, ids, batch_size=2, on_error="record")
    assert [p.id for p in preds] == ids
    assert [p.topic for p in preds[:3]] == [a["topic"] for a in articles[:3]]
    assert all(p.error is None for p in preds[:3])
    for p in preds[3:]:
        assert p.error and p.lines == [] and p.topic is None and p.editorial == ""
    assert "empty" in preds[3].error and "binary" in preds[4].error
    # the same articles one at a time give the same result as in a batch
    one = pipe.predict(texts[1], id=ids[1])
    assert one.to_dict() == preds[1].to_dict()


def test_worker_processes_give_the_same_results(models_dir, articles):
    texts = [a["text"] for a in articles] * 5 + ["", "\x00\x01binary"]
    ids = [f"a{i}" for i in range(len(texts))]
    one = load_pipeline(models_dir, model="tfidf")
    two = load_pipeline(models_dir, model="tfidf", n_jobs=2)
    try:
        serial = one.predict_many(texts, ids, batch_size=4)
        parallel = two.predict_many(texts, ids, batch_size=4)
        assert two._pool is not None  # the work really went to worker processes
        assert [p.to_dict() for p in parallel] == [p.to_dict() for p in serial]
        assert [p.id for p in parallel] == ids and parallel[-1].error and parallel[-2].error
        with pytest.raises(DataError, match="a30: text is empty"):
            two.predict_many(texts, ids, batch_size=4, on_error="raise")
    finally:
        two.close()


def test_the_cli_streams_batches_through_worker_processes_with_the_same_output(models_dir, articles, tmp_path):
    """`newssift predict --input --jobs 2` (batches streamed through worker processes while the parent reads
    and writes) writes byte for byte what `--jobs 1` writes, unreadable records and unusable texts included."""
    rows = [{"id": f"a{i}", "text": a["text"]} for i, a in enumerate(articles * 4)]
    rows[5]["text"] = ""  # unusable text
    lines = [json.dumps(r) for r in rows]
    lines.insert(9, "{not json")  # an unreadable record
    corpus = tmp_path / "in.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outs = {}
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}.jsonl"
        res = run_cli("predict", "-q", "--models", str(models_dir), "--input", str(corpus), "--output", str(out),
                      "--jobs", str(jobs), "--batch-size", "3")
        assert res.returncode != 0 and "in.jsonl:10" in res.err, res.err  # some records failed, and are named
        outs[jobs] = out.read_bytes()
    assert outs[1] == outs[2] and outs[1].count(b"\n") == len(rows) - 1


@pytest.mark.parametrize("bad", ["", "  \n\n ", "\x00\x00abc"])
def test_predict_raises_data_error_on_unusable_text(pipe, bad):
    with pytest.raises(DataError):
        pipe.predict(bad)


def test_max_chars_limit(models_dir, articles):
    small = load_pipeline(models_dir, max_chars=200)
    long_text, short = articles[0]["text"], "Short editorial sentence about the match and the coach."
    assert len(long_text) > 200
    a, b = small.predict_many([long_text, short], ["long", "short"])
    assert "more than the limit of 200" in a.error and b.error is None
    with pytest.raises(DataError, match="limit"):
        small.predict(long_text)


def test_load_errors(models_dir, tmp_path):
    with pytest.raises(ModelLoadError, match="no trained tfidf models"):
        load_pipeline(tmp_path / "nowhere")
    with pytest.raises(ModelLoadError, match="unknown model family"):
        load_pipeline(models_dir, model="bert")
    with pytest.raises(ModelLoadError, match="no trained transformer models"):
        load_pipeline(models_dir, model="transformer")
    # a family folder can be passed directly
    assert load_pipeline(models_dir / "tfidf").family == "tfidf"

    # a model of another family (its manifest says so)
    other = tmp_path / "other"
    shutil.copytree(models_dir, other)
    mpath = other / "tfidf" / "topic" / "manifest.json"
    manifest = {**json.loads(mpath.read_text()), "family": "transformer"}
    mpath.write_text(json.dumps(manifest))  # edited: its checksum no longer matches
    with pytest.raises(ModelLoadError, match="checksum mismatch, the manifest differs"):
        load_pipeline(other)
    rewrite_manifest(mpath.parent, manifest)  # intact, of the other family
    with pytest.raises(ModelLoadError, match="expected 'tfidf'"):
        load_pipeline(other)

    # a model for the other task in the boilerplate folder
    swapped = tmp_path / "swapped"
    shutil.copytree(models_dir, swapped)
    shutil.rmtree(swapped / "tfidf" / "boilerplate")
    shutil.copytree(swapped / "tfidf" / "topic", swapped / "tfidf" / "boilerplate")
    with pytest.raises(ModelLoadError, match="expected 'boilerplate'"):
        load_pipeline(swapped)

    # a tampered model file fails its checksum
    tampered = tmp_path / "tampered"
    shutil.copytree(models_dir, tampered)
    f = tampered / "tfidf" / "boilerplate" / "model.safetensors"
    data = bytearray(f.read_bytes())
    data[len(data) // 2] ^= 0xFF
    f.write_bytes(bytes(data))
    with pytest.raises(ModelLoadError, match="checksum mismatch"):
        load_pipeline(tampered)

    # a missing task folder
    shutil.rmtree(other / "tfidf" / "topic")
    with pytest.raises(ModelLoadError):
        load_pipeline(other)


# --------------------------------------------------------------------------------------------------------------
# CLI, in a subprocess
# --------------------------------------------------------------------------------------------------------------

@pytest.fixture
def txt_files(tmp_path, articles):
    paths = []
    for a in articles[:2]:
        p = tmp_path / f"{a['id']}.txt"
        p.write_bytes(a["text"].encode("utf-8"))
        paths.append(p)
    return paths


def test_cli_predict_files_and_stdin_json(models_dir, txt_files, articles):
    proc = run_cli("predict", "--models", str(models_dir), str(txt_files[0]), "-",
                   stdin=articles[1]["text"].encode("utf-8"), importtime=True)
    assert proc.returncode == 0, proc.err
    # the TF-IDF family never imports torch
    assert "newssift.models.tfidf" in proc.imported and heavy_imports(proc) == []
    rows = [json.loads(line) for line in proc.out.splitlines()]
    assert [r["source"] for r in rows] == [str(txt_files[0]), "<stdin>"]
    assert rows[0]["id"] == articles[0]["id"] and rows[1]["id"] == "stdin"
    assert [r["topic"] for r in rows] == [articles[0]["topic"], articles[1]["topic"]]
    for r, a in zip(rows, articles):
        assert [int(ln["boilerplate"]) for ln in r["lines"]] == a["line_labels"]
        assert sum(r["topic_probabilities"].values()) == pytest.approx(1.0, abs=1e-4)
        assert r["error"] is None
    assert "processed 2, failed 0" in proc.err


def test_cli_predict_show_boilerplate_from_stdin(models_dir, articles):
    art = articles[2]
    proc = run_cli("predict", "--models", str(models_dir), "--show-boilerplate", "-", stdin=art["text"].encode())
    assert proc.returncode == 0, proc.err
    expected = [("- " if y else "  ") + ln for ln, y in zip(art["text"].split("\n"), art["line_labels"])]
    assert proc.out.splitlines() == expected


def _bad_corpus(tmp_path: Path, articles) -> Path:
    good = [{"id": a["id"], "text": a["text"]} for a in articles[:3]]
    lines = [
        json.dumps(good[0]).encode(),                                         # 1 ok
        b'{"id": "broken", "text": ',                                        # 2 not JSON
        json.dumps({"id": "notext", "title": "no text here"}).encode(),       # 3 missing text
        json.dumps({"id": "empty", "text": " \n\t "}).encode(),               # 4 empty
        json.dumps({"id": "bin", "text": "\x00\x01\x02\x03PK"}).encode(),     # 5 binary
        b'{"id": "latin1", "text": "caf\xe9 cr\xe8me"}',                     # 6 not UTF-8
        json.dumps(good[1]).encode(),                                         # 7 ok
        b"",                                                                  # 8 blank line: skipped
        json.dumps({"id": "huge", "text": ("x" * 99 + "\n") * 100_001}).encode(),  # 9 ~10 MB
        json.dumps(good[2]).encode(),                                         # 10 ok
    ]
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def test_cli_predict_batch_with_bad_records(models_dir, tmp_path, articles):
    src = _bad_corpus(tmp_path, articles)
    out = tmp_path / "out" / "pred.jsonl"
    proc = run_cli("predict", "--models", str(models_dir), "--input", str(src), "--output", str(out),
                   "--batch-size", "2")
    assert proc.returncode == 1, proc.err
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [a["id"] for a in articles[:3]]
    assert [r["source"] for r in rows] == [f"{src}:{n}" for n in (1, 7, 10)]
    assert [r["topic"] for r in rows] == [a["topic"] for a in articles[:3]]
    err = proc.err
    for lineno, words in ((2, "not valid JSON"), (3, "no 'text' field"), (4, "empty"), (5, "binary"),
                          (6, "not valid UTF-8"), (9, "more than the limit")):
        assert any(f"{src}:{lineno}" in line and words in line for line in err.splitlines()), (lineno, err)
    assert "processed 3, failed 6" in err
    assert not list(out.parent.glob(".*"))  # no temporary file left behind


def test_cli_usage_errors_exit_2(models_dir, tmp_path, txt_files):
    proc = run_cli("predict", "--models", str(models_dir), "--input", str(tmp_path / "missing.jsonl"))
    assert proc.returncode == 2 and "missing.jsonl: input not found" in proc.err
    proc = run_cli("predict", "--models", str(tmp_path / "no_models"), str(txt_files[0]))
    assert proc.returncode == 2 and "no trained tfidf models" in proc.err and proc.out == ""
    proc = run_cli("predict", "--model", "bert", str(txt_files[0]))
    assert proc.returncode == 2 and "invalid choice: 'bert'" in proc.err


def test_cli_eval_table_and_json(models_dir, tmp_path):
    rows = make_corpus(24, seed=7)
    rows[0] = {**rows[0], "topic": None}  # boilerplate only
    rows[1] = {**rows[1], "line_labels": None}  # topic only
    lines = [json.dumps(r) for r in rows] + ['{"id": "bad"', json.dumps({"id": "plain", "text": "No labels."})]
    src = tmp_path / "labelled.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "eval.json"
    proc = run_cli("eval", "--models", str(models_dir), "--input", str(src), "--json", str(out))
    assert proc.returncode == 1, proc.err  # scored, but one record was invalid
    for words in ("Boilerplate, line level", "editorial", "PR-AUC", "Topic, full pipeline", "accuracy",
                  "macro F1", "business", "1 invalid", "1 without any labels"):
        assert words in proc.out, (words, proc.out)
    assert f"{src}:25" in proc.err and "not valid JSON" in proc.err
    res = json.loads(out.read_text())
    assert res["family"] == "tfidf"
    assert res["records"] == {"read": 26, "scored": 24, "invalid": 1, "invalid_reasons": {"invalid_json": 1},
                              "unlabelled": 1, "without_topic": 2, "without_line_labels": 2}
    assert res["boilerplate"]["articles"] == 23 and res["boilerplate"]["editorial_f1"] > 0.9
    assert res["topic"]["n"] == 23 and res["topic"]["accuracy"] > 0.9
    assert set(res["topic"]["per_class_f1"]) == {"business", "science", "sport"}


@pytest.mark.parametrize("args", [["--help"], ["predict", "--help"], ["eval", "--help"]])
def test_cli_help(args):
    proc = run_cli(*args, importtime=True)
    assert proc.returncode == 0 and proc.err == ""
    assert "numpy" not in proc.imported and heavy_imports(proc) == []  # --help stays instant
    assert "usage: newssift" in proc.out
    if args[0] != "--help":
        assert "examples:" in proc.out and "--models" in proc.out and "--model" in proc.out
    else:
        assert "predict" in proc.out and "eval" in proc.out


# --------------------------------------------------------------------------------------------------------------
# CLI edge cases, in-process (fast)
# --------------------------------------------------------------------------------------------------------------

def test_predict_bad_txt_files_do_not_stop_the_batch(models_dir, tmp_path, txt_files, capsys):
    (tmp_path / "bin.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "latin1.txt").write_bytes("Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e".encode("latin-1"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "utf16.txt").write_text(make_corpus(1, seed=3)[0]["text"], encoding="utf-16")
    names = [str(txt_files[0]), str(tmp_path / "bin.txt"), str(tmp_path / "latin1.txt"),
             str(tmp_path / "empty.txt"), str(tmp_path / "utf16.txt")]
    errors = tmp_path / "errors.jsonl"
    rc = main(["predict", "--models", str(models_dir), "--errors", str(errors), *names])
    cap = capsys.readouterr()
    assert rc == 1
    rows = [json.loads(line) for line in cap.out.splitlines()]
    assert [r["id"] for r in rows] == [txt_files[0].stem, "utf16"]
    failed = [json.loads(line) for line in errors.read_text().splitlines()]
    assert [(f["id"], f["source"], f["reason"]) for f in failed] == [
        ("bin", names[1], "binary"), ("latin1", names[2], "encoding"), ("empty", names[3], "empty")]
    assert "not valid UTF-8" in failed[1]["error"]
    assert f"see {errors}" in cap.err and "processed 2, failed 3" in cap.err


def test_predict_max_chars_option(models_dir, txt_files, articles, capsys):
    rc = main(["predict", "-q", "--models", str(models_dir), "--max-chars", "100", str(txt_files[0])])
    cap = capsys.readouterr()
    assert rc == 1 and cap.out == ""
    assert "more than" in cap.err and "--max-chars" in cap.err


def test_predict_usage_errors_in_process(models_dir, tmp_path, txt_files, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["predict", "--models", str(models_dir)])
    assert exc.value.code == 2 and "nothing to do" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["predict", "--format", "json", "--show-boilerplate", str(txt_files[0])])
    assert exc.value.code == 2
    for flag, value, message in (("--batch-size", "0", "expected a number >= 1, got 0"),
                                 ("--jobs", "-1", "expected 0 (one per core) or a number >= 1, got -1"),
                                 ("--jobs", "two", "expected a whole number, got 'two'")):
        with pytest.raises(SystemExit) as exc:
            main(["predict", flag, value, str(txt_files[0])])
        assert exc.value.code == 2 and message in capsys.readouterr().err
    assert main(["predict", "--models", str(models_dir), str(tmp_path / "nope.txt")]) == 2
    assert "nope.txt: file not found" in capsys.readouterr().err
    assert main(["predict", "--models", str(models_dir), str(tmp_path)]) == 2
    assert "use --input" in capsys.readouterr().err


def test_predict_text_format_and_headers(models_dir, txt_files, articles, capsys):
    assert main(["predict", "-q", "--models", str(models_dir), "--format", "text", str(txt_files[0])]) == 0
    cap = capsys.readouterr()
    editorial = [ln for ln, y in zip(articles[0]["text"].split("\n"), articles[0]["line_labels"]) if not y]
    assert cap.out == "\n".join(editorial) + "\n" and cap.err == ""  # one article: just its editorial text
    assert main(["predict", "-q", "--models", str(models_dir), "-f", "text", *map(str, txt_files)]) == 0
    out = capsys.readouterr().out.splitlines()
    headers = [ln for ln in out if ln.startswith("==> ")]
    assert len(headers) == 2 and all(h.startswith(f"==> {p} <== topic: {a['topic']} ")
                                     for h, p, a in zip(headers, txt_files, articles))
    assert out[1:1 + len(editorial)] == editorial and out[1 + len(editorial)] == ""  # blank line between


def test_predict_stdin_in_process(models_dir, articles, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(articles[3]["text"].encode("utf-8"))))
    assert main(["predict", "-q", "--models", str(models_dir), "--format", "text", "-"]) == 0
    cap = capsys.readouterr()
    assert cap.err == ""
    assert cap.out.splitlines() == [ln for ln, y in zip(articles[3]["text"].split("\n"), articles[3]["line_labels"])
                                    if not y]


def test_predict_txt_folder_input(models_dir, tmp_path, articles, capsys):
    folder = tmp_path / "folder"
    (folder / "sub").mkdir(parents=True)
    for a in articles[:3]:
        (folder / "sub" / f"{a['id']}.txt").write_text(a["text"], encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    assert main(["predict", "-q", "--models", str(models_dir), "--input", str(folder), "-o", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [f"sub/{a['id']}" for a in articles[:3]]
    assert capsys.readouterr().err == ""


def test_eval_all_valid_exits_0(models_dir, tmp_path, capsys):
    src = tmp_path / "ok.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in make_corpus(9, seed=11)), encoding="utf-8")
    assert main(["eval", "-q", "--models", str(models_dir), "--input", str(src)]) == 0
    cap = capsys.readouterr()
    assert "accuracy" in cap.out and "9 scored, 0 invalid" in cap.out and cap.err == ""
    empty = tmp_path / "unlabelled.jsonl"
    empty.write_text(json.dumps({"id": "x", "text": "Just some text."}) + "\n", encoding="utf-8")
    assert main(["eval", "--models", str(models_dir), "--input", str(empty)]) == 2
    assert "nothing to score" in capsys.readouterr().err


def test_eval_counts_pipeline_failures_and_nan_is_null(models_dir, tmp_path, capsys):
    rows = make_corpus(4, seed=5)
    for r in rows:
        r["line_labels"] = [0] * len(r["line_labels"])  # one class only: PR-AUC is undefined
    rows.append({"id": "blank", "text": "   ", "topic": "sport"})
    src = tmp_path / "one_class.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "m.json"
    assert main(["eval", "--models", str(models_dir), "--input", str(src), "--json", str(out)]) == 1
    cap = capsys.readouterr()
    assert "(id 'blank'): text is empty" in cap.err and "n/a" in cap.out
    res = json.loads(out.read_text())  # strict JSON: no NaN
    assert res["boilerplate"]["pr_auc_boilerplate"] is None
    assert res["records"]["invalid_reasons"] == {"empty": 1}
    assert np.isfinite(res["topic"]["accuracy"])
