"""A corpus full of bad records through the real clean stage: every record is accounted for (kept, or in
data/rejects.jsonl with a reason), read = kept + rejected + duplicates, and nothing crashes. Then the stages
after it refuse data they cannot use with a clear DataError (exit 2 from the CLI, no traceback).
"""
from __future__ import annotations

import codecs
import json
import os
import shutil
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml
from conftest import make_corpus, run_cli, write_rows

from newssift.cli import main
from newssift.config import params_from_dict
from newssift.errors import DataError
from newssift.files import read_jsonl, read_parquet, write_jsonl
from newssift.stages.clean import run as run_clean

LONG = ("The harbour council voted on the ferry budget after a long debate about fares, timetables and the "
        "repair of the old pier, which has been closed since the winter storms.")


def _params_file(tmp_path: Path, corpus: str, labels: str | None = None, **sections) -> Path:
    raw = {"data": {"corpus": corpus, "labels": labels}, **sections}
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def _check_accounting(report: dict, n_records: int) -> tuple[list[dict], list[dict]]:
    kept = read_parquet("data/clean/corpus.parquet")
    Path("data/rejects.jsonl").read_bytes().decode("utf-8")  # strict UTF-8
    rejects = read_jsonl("data/rejects.jsonl")
    assert report == json.loads(Path("reports/clean.json").read_text(encoding="utf-8"))
    assert report["read"] == n_records
    assert report["read"] == report["kept"] + report["rejected"] + report["duplicates"]
    assert len(kept) == report["kept"] and len(rejects) == report["rejected"] + report["duplicates"]
    assert all(r["reason"] and r["detail"] and r["source"] for r in rejects)
    assert sum(report["reasons"].values()) == len(rejects)
    return kept, rejects


# --------------------------------------------------------------------------------------------------------------
# a JSONL corpus
# --------------------------------------------------------------------------------------------------------------

def test_bad_jsonl_corpus_every_record_accounted_for(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    good = make_corpus(12, seed=8)  # 4 articles of each of 3 topics
    bad: list[tuple[bytes, str]] = [  # (line, expected reason)
        (b'{"id": "broken", "text": "no closing brace"', "invalid_json"),
        (b"[" * 200_000, "invalid_json"),  # nested too deeply for the parser
        (b"[1, 2, 3]", "not_an_object"),
        (json.dumps({"text": LONG}).encode(), "missing_id"),
        (json.dumps({"id": "notext", "title": "a title but no text"}).encode(), "missing_text"),
        (json.dumps({"id": "numtext", "text": 12345}).encode(), "text_not_string"),
        (json.dumps({"id": "listtext", "text": [LONG]}).encode(), "text_not_string"),
        (json.dumps({"id": "empty", "text": ""}).encode(), "empty"),
        (json.dumps({"id": "blank", "text": " \n\t\u00a0\u200b\r\n \ufeff"}).encode(), "empty"),
        (json.dumps({"id": "short", "text": "Too short."}).encode(), "too_short"),
        (json.dumps({"id": "nul", "text": LONG + "\x00\x00"}).encode(), "binary"),
        (json.dumps({"id": "ctrl", "text": "\x01\x02\x03\x04\x05\x06" * 20}).encode(), "binary"),
        (b'{"id": "rawbytes", "text": "\xff\xfe\x00\x89PNG \xc3\x28"}', "encoding"),
        (json.dumps({"id": "surrogate\ud800", "text": LONG}).encode(), "encoding"),
        (json.dumps({"id": "surrogate-title", "text": LONG, "title": "bad \udfff"}).encode(), "encoding"),
        (json.dumps({"id": "huge", "text": "x" * 99 + ("\n" + "y" * 99) * 200_000}).encode(), "too_long"),  # 20 MB
        (json.dumps({"id": good[0]["id"], "text": LONG + " A different article."}).encode(), "duplicate_id"),
        (json.dumps({**good[1], "id": "copy-of-1"}).encode(), "exact_duplicate"),
        (json.dumps({"id": "lonely", "text": LONG, "topic": "astronomy"}).encode(), "rare_topic"),
        (json.dumps({"id": "badlabels", "text": "one\ntwo\r\nthree", "line_labels": [0, 1]}).encode(),
         "line_labels_length"),
        (json.dumps({"id": "labels2", "text": "one\ntwo", "line_labels": [0, 2]}).encode(), "bad_line_labels"),
        (json.dumps({"id": "badtopic", "text": LONG, "topic": 7}).encode(), "bad_topic"),
        (json.dumps({"id": "unknown", "text": LONG, "body": "x", "author": "y"}).encode(), "unknown_keys"),
    ]
    lines = [json.dumps(r).encode() for r in good] + [line for line, _ in bad] + [b"", b"   "]  # blank: skipped
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_bytes(b"\n".join(lines) + b"\n")
    assert corpus.stat().st_size > 20_000_000

    tracemalloc.start()
    t0 = time.perf_counter()
    report = run_clean(params_from_dict({"data": {"corpus": "corpus.jsonl"}}))
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert seconds < 60  # the 20 MB record is refused by its length, never cleaned (clean.max_chars=5,000,000)
    assert peak < 250e6  # a few copies of the 20 MB line at most

    kept, rejects = _check_accounting(report, len(good) + len(bad))
    assert [r["id"] for r in kept] == [r["id"] for r in good]
    by_line = {int(r["source"].rsplit(":", 1)[1]): r for r in rejects}
    for k, (_, reason) in enumerate(bad):
        lineno = len(good) + k + 1
        assert lineno in by_line, (lineno, reason)
        assert by_line[lineno]["reason"] == reason, (lineno, by_line[lineno])
    assert report["duplicates"] == 1
    assert "already used" in by_line[len(good) + 17]["detail"]
    assert by_line[len(good) + 18]["duplicate_of"] == good[1]["id"]
    assert "20,0" in by_line[len(good) + 16]["detail"] and "clean.max_chars" in by_line[len(good) + 16]["detail"]
    assert "'body'" in by_line[len(good) + 23]["detail"]
    assert by_line[len(good) + 14]["id"] == "surrogate\\ud800"  # written readably, the file stays UTF-8
    assert "'title'" in by_line[len(good) + 15]["detail"]
    out = capsys.readouterr().out
    assert f"read {report['read']}, kept {len(good)}" in out and "data/rejects.jsonl" in out


def test_duplicate_id_keeps_the_first_valid_record(tmp_path, monkeypatch):
    """The documented rule: the first record that passes validation takes the id; later ones are rejected,
    even when the first is rejected later for its content (empty), and an invalid first one takes nothing."""
    monkeypatch.chdir(tmp_path)
    rows = [{"id": "a", "text": "   "},  # valid record, empty text: rejected, but it used id "a"
            {"id": "a", "text": LONG},
            {"id": "b", "text": LONG + " B.", "oops": 1},  # invalid: does not take id "b"
            {"id": "b", "text": LONG + " B."},
            {"id": 7, "text": LONG + " Seven."},
            {"id": "7", "text": LONG + " Seven again."}]  # 7 and "7" are the same id
    write_jsonl("c.jsonl", rows)
    report = run_clean(params_from_dict({"data": {"corpus": "c.jsonl"}}))
    kept, rejects = _check_accounting(report, 6)
    assert [r["id"] for r in kept] == ["b", "7"]
    assert [(r["id"], r["reason"]) for r in rejects] == [
        ("a", "empty"), ("a", "duplicate_id"), ("b", "unknown_keys"), ("7", "duplicate_id")]


@pytest.mark.parametrize("bom", [True, False])
def test_utf16_jsonl_corpus(tmp_path, monkeypatch, bom):
    monkeypatch.chdir(tmp_path)
    rows = make_corpus(9, seed=4)
    rows[0]["text"] = "Grüße aus Köln — “quoted” ✓\n" + rows[0]["text"]
    rows[0]["line_labels"] = [1] + rows[0]["line_labels"]
    text = "".join(json.dumps(r, ensure_ascii=False) + "\r\n" for r in rows) + "{not json}\r\n"
    (tmp_path / "u16.jsonl").write_bytes((codecs.BOM_UTF16_LE if bom else b"") + text.encode("utf-16-le"))
    report = run_clean(params_from_dict({"data": {"corpus": "u16.jsonl"}}))
    kept, rejects = _check_accounting(report, 10)
    assert [r["id"] for r in kept] == [r["id"] for r in rows]
    assert kept[0]["text"].startswith("Grüße aus Köln — “quoted” ✓\n")
    assert [r["reason"] for r in rejects] == ["invalid_json"]


# --------------------------------------------------------------------------------------------------------------
# a folder of .txt files
# --------------------------------------------------------------------------------------------------------------

def test_bad_txt_folder_corpus_every_file_accounted_for(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    rows = make_corpus(9, seed=6)
    labels = []
    for r in rows:
        (folder / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
        labels.append({"id": r["id"], "topic": r["topic"], "line_labels": r["line_labels"]})
    text16 = "Zürich — “UTF-16” article.\n" + LONG
    files = {
        "u16le_bom": codecs.BOM_UTF16_LE + text16.encode("utf-16-le"),
        "u16be_bom": codecs.BOM_UTF16_BE + (text16 + " Big-endian.").encode("utf-16-be"),
        "u16le_nobom": (text16 + " No BOM.").encode("utf-16-le"),
        "u8_bom_crlf": codecs.BOM_UTF8 + LONG.replace(", ", ",\r\n").encode("utf-8"),
        "sub/nested": (LONG + " Nested.").encode("utf-8"),
        "binary": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        "latin1": ("Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e. " + LONG).encode("latin-1"),
        "empty": b"",
        "spaces": b" \r\n\t \n",
        "badlabels": (LONG + "\nsecond line").encode("utf-8"),
    }
    for name, data in files.items():
        (folder / f"{name}.txt").write_bytes(data)
    labels.append({"id": "badlabels", "topic": "sport", "line_labels": [0, 0, 1]})
    labels.append({"id": "u16le_bom", "topic": "sport", "line_labels": [1, 0]})
    # a file name that is not valid UTF-8 (Linux allows any bytes): its id cannot be written as UTF-8
    try:
        with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as fh:
            fh.write(LONG.encode("utf-8"))
        bad_name = 1
    except OSError:  # a file system that only takes UTF-8 names (macOS)
        bad_name = 0
    (folder / "notes.md").write_text("not a .txt file: not part of the corpus", encoding="utf-8")
    write_jsonl(tmp_path / "labels.jsonl", labels)

    report = run_clean(params_from_dict({"data": {"corpus": "articles", "labels": "labels.jsonl"}}))
    kept, rejects = _check_accounting(report, len(rows) + len(files) + bad_name)
    kept_ids = {r["id"] for r in kept}
    assert kept_ids == {r["id"] for r in rows} | {"u16le_bom", "u16be_bom", "u16le_nobom", "u8_bom_crlf",
                                                  "sub/nested"}
    by_id = {r["id"]: r for r in kept}
    assert by_id["u16le_bom"]["text"] == text16
    assert by_id["u16be_bom"]["text"] == text16 + " Big-endian."
    assert by_id["u16le_nobom"]["text"] == text16 + " No BOM."
    assert by_id["u16le_bom"]["topic"] == "sport" and by_id["u16le_bom"]["line_labels"] == [1, 0]
    assert not by_id["u8_bom_crlf"]["text"].startswith("\ufeff") and "\r" not in by_id["u8_bom_crlf"]["text"]
    reasons = {r["id"]: r["reason"] for r in rejects}
    assert reasons == {"binary": "encoding", "latin1": "encoding", "empty": "empty", "spaces": "empty",
                       "badlabels": "line_labels_length", **({"caf\\udce9": "encoding"} if bad_name else {})}
    assert "binary data" in next(r["detail"] for r in rejects if r["id"] == "binary")
    assert "not valid UTF-8" in next(r["detail"] for r in rejects if r["id"] == "latin1")


# --------------------------------------------------------------------------------------------------------------
# stages after clean refuse what they cannot use: DataError, exit 2, one line, no traceback
# --------------------------------------------------------------------------------------------------------------

def _near_duplicate_topic_corpus(path: Path) -> None:
    """Enough sport and business, but science has 3 articles of which two are near duplicates: 2 groups."""
    rows = [r for r in make_corpus(30, seed=9) if r["topic"] != "science"]
    sci = [r for r in make_corpus(30, seed=11) if r["topic"] == "science"][:3]
    sci[1] = {**sci[0], "id": "science-copy", "text": sci[0]["text"].replace(".", ". Indeed", 1)}
    write_jsonl(path, rows + sci)


def test_clean_rejects_a_topic_with_too_few_distinct_articles_so_split_data_accepts_what_it_keeps(
        tmp_path, monkeypatch, capsys):
    """The rare-topic rule of clean counts distinct articles (near duplicates grouped) as the split does: a topic
    that split-data could not cut is rejected by clean (rare_topic), not kept to stop the next stage."""
    monkeypatch.chdir(tmp_path)
    _near_duplicate_topic_corpus(tmp_path / "c.jsonl")
    params = _params_file(tmp_path, "c.jsonl", clean={"near_duplicate_threshold": 0.5})
    assert main(["clean", "--params", str(params)]) == 0
    kept = read_parquet("data/clean/corpus.parquet")
    assert not any(r["topic"] == "science" for r in kept)
    rare = [r for r in read_jsonl("data/rejects.jsonl") if r["reason"] == "rare_topic"]
    assert len(rare) == 3 and "(2 distinct after grouping near duplicates)" in rare[0]["detail"]
    assert main(["split-data", "--params", str(params)]) == 0
    split_ids = sorted(r["id"] for s in ("train", "validation", "test") for r in read_parquet(f"data/split/{s}.parquet"))
    assert split_ids == sorted(r["id"] for r in kept)


def test_split_rows_refuses_a_topic_with_too_few_distinct_articles():
    """split_rows on rows that did not come from clean (the library function): a clear DataError."""
    from newssift.data.split import split_rows

    rows = [{"id": f"s{i}", "topic": "sport"} for i in range(10)] + [
        {"id": "c1", "topic": "science"}, {"id": "c2", "topic": "science", "near_duplicate_of": "c1"},
        {"id": "c3", "topic": "science"}]
    with pytest.raises(DataError, match=r"each topic needs at least 3 distinct articles .*'science': 2"):
        split_rows(rows, 0.15, 0.2, 0)


def test_split_and_training_refusals_via_the_cli(tmp_path, monkeypatch, capsys):
    """A dataset too small to split; training data with one topic, no line labels or one line class."""
    monkeypatch.chdir(tmp_path)
    write_jsonl("c.jsonl", make_corpus(9, seed=12))  # 3 topics x 3 articles: cleans fine, cannot be split
    params = _params_file(tmp_path, "c.jsonl")
    assert main(["clean", "--params", str(params)]) == 0
    proc = run_cli("split-data", "--params", str(params), cwd=tmp_path)  # the real entry point
    assert proc.returncode == 2, proc.err
    assert proc.err.count("\n") == 1
    assert proc.err.startswith("newssift: error: cannot split: 9 articles are too few to hold out the test "
                                  "split (split.test=0.2)")

    capsys.readouterr()
    rows = make_corpus(6, seed=13)
    one_topic = [{"id": r["id"], "topic": "sport", "editorial": r["text"]} for r in rows]
    write_rows("data/articles/train.parquet", one_topic)
    assert main(["train", "--family", "tfidf", "--task", "topic", "--params", str(params)]) == 2
    assert "topic training needs at least 2 topics" in capsys.readouterr().err

    write_rows("data/split/train.parquet", [{**r, "line_labels": None} for r in rows])
    write_rows("data/split/validation.parquet", [])
    assert main(["train", "--family", "tfidf", "--task", "boilerplate", "--params", str(params)]) == 0
    assert "nothing to train (no article of the train split has line_labels)" in capsys.readouterr().out
    assert (Path("models/tfidf/boilerplate") / "DISABLED").exists()  # an untrained marker DVC accepts
    shutil.rmtree("models/tfidf/boilerplate")

    write_rows("data/split/train.parquet", [{**r, "line_labels": [0] * len(r["line_labels"])} for r in rows])
    assert main(["train", "--family", "tfidf", "--task", "boilerplate", "--params", str(params)]) == 2
    assert "both classes" in capsys.readouterr().err
    assert not Path("models/tfidf/boilerplate").exists() and not Path("models/tfidf/topic").exists()


def test_run_clean_with_nothing_usable_is_a_data_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "junk.jsonl").write_bytes(b"{bad\n\x00\x01\x02\n" + json.dumps({"id": "x", "text": ""}).encode())
    with pytest.raises(DataError, match="no usable articles"):
        run_clean(params_from_dict({"data": {"corpus": "junk.jsonl"}}))
    assert len(read_jsonl("data/rejects.jsonl")) == 3  # the rejects are written even so
