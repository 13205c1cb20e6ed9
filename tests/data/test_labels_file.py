"""The labels file of a folder of .txt files: each row is part of its article's record or a reject of its own.

A row is read like a corpus line (any promised encoding and line end); a row that labels an article is part of
that article's record, as ``topic`` and ``line_labels`` are part of a JSONL record, so a bad value or an unknown
key rejects the article with the reason a JSONL record would get. Rows that label nothing are rejects of their
own: invalid JSON, not an object, no usable id, a second row for an id (``duplicate_labels``), an id no ``.txt``
file has (``no_article``). read = .txt entries + rows that are rejects of their own = kept + rejected +
duplicates. Integer ids name files as they name JSONL records (``7`` is ``7.txt``).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml
from conftest import make_corpus, run_cli

from newssift.config import params_from_dict
from newssift.data.corpus import Record, Reject, read_labels, read_records
from newssift.errors import DataError
from newssift.files import read_jsonl, read_parquet
from newssift.stages.clean import run as run_clean

LONG = ("The harbour council voted on the ferry budget after a long debate about fares, timetables and the "
        "repair of the old pier, which has been closed since the winter storms.")


def _folder(tmp_path: Path, n: int = 9) -> tuple[Path, list[dict]]:
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    rows = make_corpus(n, seed=21)
    for r in rows:
        (folder / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
    return folder, rows


def test_every_labels_row_is_part_of_a_record_or_a_reject(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder, rows = _folder(tmp_path, 15)  # 5 articles of each topic: none becomes rare
    (folder / "7.txt").write_text(LONG + " Seven.", encoding="utf-8")
    (folder / "sub" / "x.txt").write_text(LONG + " Nested.", encoding="utf-8")
    (folder / "loose.txt").write_text(LONG + " No labels at all.", encoding="utf-8")
    a = [r["id"] for r in rows]
    good = [{"id": r["id"], "topic": r["topic"], "line_labels": r["line_labels"]} for r in rows[4:]]
    lines = [
        json.dumps({"id": a[0], "topic": rows[0]["topic"], "line_labels": rows[0]["line_labels"]}).encode(),  # 1
        json.dumps({"id": 7, "topic": "sport"}).encode(),  # 2: an integer id names 7.txt
        json.dumps({"id": a[0], "topic": "other"}).encode(),  # 3: a second row for a0
        json.dumps({"id": a[1], "topic": "sport", "colour": "red"}).encode(),  # 4: rejects article a1
        json.dumps({"id": "ghost", "topic": "sport"}).encode(),  # 5: no ghost.txt
        b"{not json",  # 6
        b"[1, 2]",  # 7
        json.dumps({"topic": "sport"}).encode(),  # 8
        json.dumps({"id": True, "topic": "sport"}).encode(),  # 9: true is no id
        b'{"id": "' + a[2].encode() + b'", "topic": "caf\xe9"}',  # 10: Latin-1, not UTF-8
        json.dumps({"id": a[3], "line_labels": [0]}).encode(),  # 11: rejects article a3 (wrong length)
        json.dumps({"id": "sub/x", "topic": "science", "url": "http://x"}).encode(),  # 12: nested file, passthrough
        json.dumps({"id": a[2], "text": "an override"}).encode(),  # 13: 'text' is the file's: rejects a2
        json.dumps({"id": "n" + "1" * 5000}).encode().replace(b'"n', b"").replace(b'1"', b"1"),  # 14: huge int
        b"",  # 15: blank
    ] + [json.dumps(g).encode() for g in good]  # 16...
    (tmp_path / "labels.jsonl").write_bytes(b"\n".join(lines) + b"\n")

    report = run_clean(params_from_dict({"data": {"corpus": "articles", "labels": "labels.jsonl"}}))
    n_files = len(rows) + 3
    standalone = {3: "duplicate_labels", 5: "no_article", 6: "invalid_json", 7: "not_an_object", 8: "missing_id",
                  9: "missing_id", 10: "encoding", 14: "invalid_json"}
    assert report["read"] == n_files + len(standalone)
    assert report["read"] == report["kept"] + report["rejected"] + report["duplicates"]
    kept = {r["id"]: r for r in read_parquet("data/clean/corpus.parquet")}
    rejects = read_jsonl("data/rejects.jsonl")
    by_line = {int(r["source"].rsplit(":", 1)[1]): r for r in rejects if "labels.jsonl:" in r["source"]}
    assert {k: r["reason"] for k, r in by_line.items()} == standalone
    assert by_line[3]["detail"] == f"labels for {a[0]!r} already given at labels.jsonl:1"
    assert by_line[5]["detail"] == "labels row for 'ghost', but the folder has no ghost.txt"
    assert kept[a[0]]["topic"] == rows[0]["topic"] and kept[a[0]]["line_labels"] == rows[0]["line_labels"]
    assert kept["7"]["topic"] == "sport" and kept["sub/x"]["topic"] == "science" and kept["sub/x"]["url"] == "http://x"
    assert kept["loose"]["topic"] is None and kept["loose"]["line_labels"] is None
    articles = {r["id"]: r for r in rejects if "labels.jsonl:" not in r["source"]}
    assert {k: r["reason"] for k, r in articles.items()} == {a[1]: "unknown_keys", a[2]: "unknown_keys",
                                                             a[3]: "line_labels_length"}
    assert "labels row labels.jsonl:4 has unknown keys ['colour']" in articles[a[1]]["detail"]
    assert "['text']" in articles[a[2]]["detail"] and "the text is the file's" in articles[a[2]]["detail"]
    assert articles[a[3]]["detail"].endswith("(labels row labels.jsonl:11)")
    assert {g["id"] for g in good} <= set(kept)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32", "utf-8-sig"])
def test_labels_file_in_any_promised_encoding_and_line_end(tmp_path, encoding):
    folder, rows = _folder(tmp_path, 6)
    text = "\r".join(json.dumps({"id": r["id"], "topic": r["topic"] + " é"}, ensure_ascii=False) for r in rows)
    (tmp_path / "labels.jsonl").write_bytes(text.encode(encoding))
    out = list(read_records(folder, tmp_path / "labels.jsonl"))
    assert all(isinstance(o, Record) for o in out) and len(out) == 6
    assert {o.id: o.topic for o in out} == {r["id"]: r["topic"] + " é" for r in rows}


def test_a_labels_file_that_is_not_utf8_gives_one_reject_per_bad_row_not_a_traceback(tmp_path):
    folder, rows = _folder(tmp_path, 9)
    labels = [{"id": r["id"], "topic": r["topic"] + ("-é" if i % 3 == 0 else "")} for i, r in enumerate(rows)]
    (tmp_path / "labels.jsonl").write_bytes("\n".join(json.dumps(x, ensure_ascii=False) for x in labels)
                                             .encode("latin-1"))
    params = tmp_path / "params.yaml"
    params.write_text(yaml.safe_dump({"data": {"corpus": str(folder), "labels": str(tmp_path / "labels.jsonl")}}))
    proc = run_cli("clean", "--params", str(params), cwd=tmp_path)
    assert proc.returncode == 0, proc.err
    rejects = read_jsonl(tmp_path / "data" / "rejects.jsonl")
    labels_rejects = [r for r in rejects if "labels.jsonl:" in r["source"]]
    assert [r["source"].rsplit(":", 1)[1] for r in labels_rejects] == ["1", "4", "7"]
    assert all(r["reason"] == "encoding" and "not valid UTF-8" in r["detail"] for r in labels_rejects)
    report = json.loads((tmp_path / "reports" / "clean.json").read_text())
    assert report["read"] == 9 + 3 == report["kept"] + report["rejected"] + report["duplicates"]


def test_read_labels_alone(tmp_path):
    path = tmp_path / "labels.jsonl"
    path.write_text('{"id": "a", "topic": "x"}\n{"id": 12}\n{"id": ""}\n{"id": "a"}\n', encoding="utf-8")
    rows, rejects = read_labels(path)
    assert set(rows) == {"a", "12"} and rows["a"].row == {"id": "a", "topic": "x"}
    assert [(r.reason, r.source) for r in rejects] == [("missing_id", f"{path}:3"), ("duplicate_labels", f"{path}:4")]


@pytest.mark.parametrize("what", ["missing", "folder", "fifo", "broken-link", "with-a-jsonl-corpus"])
def test_a_labels_file_that_cannot_be_used_is_one_clear_error_and_never_blocks(tmp_path, what):
    folder, _ = _folder(tmp_path, 3)
    corpus, labels = folder, tmp_path / "labels.jsonl"
    expected = {"missing": f"{labels}: file not found",
                "folder": f"{labels}: the labels file is not a regular file: a folder",
                "fifo": f"{labels}: the labels file is not a regular file: a named pipe (FIFO)",
                "broken-link": f"{labels}: the labels file is not a regular file: a broken symbolic link",
                "with-a-jsonl-corpus": f"{labels}: a labels file is for a folder of .txt files"}[what]
    if what == "folder":
        labels.mkdir()
    elif what == "fifo":
        os.mkfifo(labels)
    elif what == "broken-link":
        labels.symlink_to(tmp_path / "nowhere.jsonl")
    elif what == "with-a-jsonl-corpus":
        labels.write_text("{}\n")
        corpus = tmp_path / "c.jsonl"
        corpus.write_text(json.dumps({"id": "a", "text": LONG}) + "\n")
    if what != "fifo":
        with pytest.raises(DataError, match="^" + expected.replace("(", r"\(").replace(")", r"\)")):
            list(read_records(corpus, labels))
    params = tmp_path / "params.yaml"
    params.write_text(yaml.safe_dump({"data": {"corpus": str(corpus), "labels": str(labels)}}))
    proc = run_cli("clean", "--params", str(params), cwd=tmp_path, timeout=120)
    assert proc.returncode == 2 and proc.err.startswith("newssift: error: " + expected), proc.err
    assert proc.err.count("\n") == 1


def test_labels_rows_and_folder_entries_give_the_same_rejects_as_jsonl_records(tmp_path):
    """A labelled folder and the JSONL corpus with the same records reject the same records for the same
    reasons: one record semantics, whichever form the corpus takes."""
    folder, rows = _folder(tmp_path, 6)
    bad = {rows[0]["id"]: {"topic": 7}, rows[1]["id"]: {"line_labels": [0, 2]}, rows[2]["id"]: {"topic": "  "},
           rows[3]["id"]: {"line_labels": [1]}}
    labels = [{"id": r["id"], **bad.get(r["id"], {"topic": r["topic"]})} for r in rows]
    (tmp_path / "labels.jsonl").write_text("\n".join(json.dumps(x) for x in labels), encoding="utf-8")
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps({**x, "text": r["text"]}) for x, r in zip(labels, rows)),
                                      encoding="utf-8")
    from_folder = {o.id: (o.reason if isinstance(o, Reject) else "ok")
                   for o in read_records(folder, tmp_path / "labels.jsonl")}
    from_jsonl = {o.id: (o.reason if isinstance(o, Reject) else "ok") for o in read_records(tmp_path / "c.jsonl")}
    assert from_folder == from_jsonl
    assert sorted(from_jsonl.values()) == ["bad_line_labels", "bad_topic", "bad_topic", "line_labels_length", "ok",
                                           "ok"]
