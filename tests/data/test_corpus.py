import codecs
import json

import pytest

from newssift.data.corpus import Record, Reject, read_records
from newssift.errors import DataError
from newssift.files import read_jsonl, write_jsonl


def _write_lines(path, lines):
    path.write_bytes(b"\n".join(lines) + b"\n")


def test_reads_good_records_and_rejects_bad_ones_with_reasons(tmp_path):
    good = {"id": "a", "text": "one\ntwo", "topic": "sport", "line_labels": [0, 1]}
    lines = [
        json.dumps(good).encode(),
        b"{not json",
        json.dumps([1, 2]).encode(),
        json.dumps({"id": "b"}).encode(),
        json.dumps({"id": "c", "text": 42}).encode(),
        json.dumps({"id": "d", "text": "x\ny", "line_labels": [0]}).encode(),
        json.dumps({"id": "e", "text": "x", "line_labels": [2]}).encode(),
        json.dumps({"id": "f", "text": "x", "topc": "sport"}).encode(),
        json.dumps({"text": "no id"}).encode(),
        json.dumps({"id": "g", "text": "bin\u0000ary"}).encode(),
        b'{"id": "h", "text": "caf\xe9"}',  # latin-1 byte, not UTF-8
        json.dumps({"id": 7, "text": "int id is fine", "url": "http://x"}).encode(),
        b"",  # blank lines are skipped, not records
    ]
    path = tmp_path / "c.jsonl"
    _write_lines(path, lines)
    out = list(read_records(path))
    assert len(out) == 12
    assert isinstance(out[0], Record) and out[0].line_labels == [0, 1]
    reasons = [o.reason if isinstance(o, Reject) else "ok" for o in out]
    assert reasons == ["ok", "invalid_json", "not_an_object", "missing_text", "text_not_string",
                       "line_labels_length", "bad_line_labels", "unknown_keys", "missing_id", "binary",
                       "encoding", "ok"]
    assert out[1].source == f"{path}:2"
    assert "topc" in out[7].detail
    assert out[11].id == "7" and out[11].extra == {"url": "http://x"}


def test_too_long_record(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(json.dumps({"id": "big", "text": "a" * 1000}) + "\n")
    (rej,) = list(read_records(path, max_chars=100))
    assert isinstance(rej, Reject) and rej.reason == "too_long"


def test_utf16_file_is_read(tmp_path):
    path = tmp_path / "u16.jsonl"
    text = json.dumps({"id": "u", "text": "Grüße aus Köln"}, ensure_ascii=False) + "\n"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (rec,) = list(read_records(path))
    assert isinstance(rec, Record) and rec.text == "Grüße aus Köln"


def test_txt_folder_with_labels(tmp_path):
    folder = tmp_path / "txt"
    folder.mkdir()
    (folder / "one.txt").write_text("Headline\nBody text here.", encoding="utf-8")
    (folder / "two.txt").write_bytes(codecs.BOM_UTF8 + "Second\r\nBody".encode())
    (folder / "bad.txt").write_bytes(b"\xff\xfe\x00\x00\x00\x01binary\x00")
    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps({"id": "one", "topic": "world", "line_labels": [1, 0]}) + "\n")
    out = {(o.id): o for o in read_records(folder, labels)}
    assert out["one"].topic == "world" and out["one"].line_labels == [1, 0]
    assert out["two"].text.startswith("Second")
    assert isinstance(out["bad"], Reject)


def test_missing_corpus_is_a_clear_error(tmp_path):
    with pytest.raises(DataError, match="corpus not found"):
        read_records(tmp_path / "nope.jsonl")


def test_write_and_read_jsonl_roundtrip(tmp_path):
    rows = [{"id": "a", "text": "é\n“x”"}, {"id": "b", "text": ""}]
    path = tmp_path / "sub" / "rows.jsonl"
    assert write_jsonl(path, rows) == 2
    assert read_jsonl(path) == rows
    assert not list(path.parent.glob(".rows.jsonl.*"))  # no temp files left
