"""Isolation everywhere input is read, and counting in records.

Each JSON line and each ``.txt`` entry becomes a record or a reject with its reason: a read error on one entry
never ends the run, only regular files are read and nothing blocks (a FIFO named ``x.txt`` used to hang the
stage, a folder or broken symbolic link of that name to abort it). read = kept + rejected + duplicates counts
records in every encoding and line-end convention the README promises: UTF-8 with or without BOM, UTF-16 (LE/BE,
with a BOM or starting with ASCII) and UTF-32 with a BOM; ``\\n``, ``\\r\\n`` and ``\\r``.

Cases that could hang (a FIFO) run the real command in a subprocess with a timeout, so a regression fails the
test instead of blocking the suite.
"""
from __future__ import annotations

import codecs
import errno
import json
import os
from pathlib import Path

import pytest
import yaml
from conftest import make_corpus, run_cli, train_tiny_tfidf

from newssift.cli.common import count_records
from newssift.config import params_from_dict
from newssift.data.cleaning import clean_records
from newssift.data.corpus import (
    LINE_ENDS,
    PROMISED_ENCODINGS,
    Record,
    Reject,
    decode_bytes,
    read_records,
)
from newssift.data.text import clean_text, count_lines
from newssift.files import read_jsonl, read_parquet, write_jsonl
from newssift.stages.clean import run as run_clean

LONG = ("The harbour council voted on the ferry budget after a long debate about fares, timetables and the "
        "repair of the old pier, which has been closed since the winter storms.")


def _params(tmp_path: Path, corpus, labels=None, **clean) -> Path:
    path = tmp_path / "params.yaml"
    path.write_text(yaml.safe_dump({"data": {"corpus": str(corpus), "labels": labels}, "clean": clean}),
                    encoding="utf-8")
    return path


def _accounting(workdir: Path, n_records: int) -> tuple[dict, dict[str, dict], list[dict]]:
    """(report, rejects by id-or-source, kept rows) of a finished clean stage in ``workdir``; the counts add up."""
    report = json.loads((workdir / "reports" / "clean.json").read_text(encoding="utf-8"))
    kept = read_parquet(workdir / "data" / "clean" / "corpus.parquet")
    rejects = read_jsonl(workdir / "data" / "rejects.jsonl")
    assert report["read"] == n_records == report["kept"] + report["rejected"] + report["duplicates"]
    assert len(kept) == report["kept"] and len(rejects) == report["rejected"] + report["duplicates"]
    assert all(r["reason"] and r["detail"] and r["source"] for r in rejects)
    return report, {r["id"] or r["source"]: r for r in rejects}, kept


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> Path:
    return train_tiny_tfidf(tmp_path_factory.mktemp("isolation-models"))


# --------------------------------------------------------------------------------------------------------------
# one odd record never stops the run
# --------------------------------------------------------------------------------------------------------------

ODD_NUMBERS = [  # (line, words of the reject's detail): JSON that Python cannot hold faithfully
    ('{"id": "big-meta", "text": "%s", "meta": {"n": %s}}' % (LONG, "7" * 5000), "4,300 digits"),
    ('{"id": %s, "text": "%s"}' % ("1" * 4301, LONG), "4,300 digits"),
    ('{"id": "big-label", "text": "one", "line_labels": [-%s]}' % ("9" * 9000), "4,300 digits"),
    ('{"id": "nan", "text": "%s", "meta": NaN}' % LONG, "NaN is not a JSON number"),
    ('{"id": "inf", "text": "%s", "meta": [Infinity, -Infinity]}' % LONG, "Infinity is not a JSON number"),
    ('{"id": "overflow", "text": "%s", "meta": 1e999}' % LONG, "too large for a float"),
]


def test_json_numbers_python_cannot_hold_are_one_reject_each(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    good = make_corpus(9, seed=3)
    lines = [json.dumps(r) for r in good[:5]] + [line for line, _ in ODD_NUMBERS] + [json.dumps(r) for r in good[5:]]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = run_clean(params_from_dict({"data": {"corpus": "c.jsonl"}}))
    _, _, kept = _accounting(tmp_path, len(lines))
    assert [r["id"] for r in kept] == [r["id"] for r in good]
    rejects = read_jsonl("data/rejects.jsonl")
    assert [int(r["source"].rsplit(":", 1)[1]) for r in rejects] == list(range(6, 6 + len(ODD_NUMBERS)))
    for rej, (_, words) in zip(rejects, ODD_NUMBERS):
        assert rej["reason"] == "invalid_json" and words in rej["detail"], rej
    assert report["reasons"] == {"invalid_json": len(ODD_NUMBERS)}


def test_predict_input_with_a_huge_integer_fails_one_record(models, tmp_path):
    good = make_corpus(3, seed=4)
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([json.dumps(good[0]), ODD_NUMBERS[0][0], ODD_NUMBERS[3][0], json.dumps(good[1]),
                              json.dumps(good[2])]) + "\n", encoding="utf-8")
    proc = run_cli("predict", "--models", str(models), "--input", str(src), "--errors", str(tmp_path / "e.jsonl"))
    assert proc.returncode == 1, proc.err
    assert [json.loads(line)["id"] for line in proc.out.splitlines()] == [r["id"] for r in good]
    failed = read_jsonl(tmp_path / "e.jsonl")
    assert [(f["source"].rsplit(":", 1)[1], f["reason"]) for f in failed] == [("2", "invalid_json"),
                                                                              ("3", "invalid_json")]
    assert "processed 3, failed 2" in proc.err


def test_folder_entries_that_are_not_regular_files_are_rejects_and_nothing_blocks(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    rows = make_corpus(9, seed=6)
    for r in rows:
        (folder / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
    (folder / "dir.txt").mkdir()  # a folder named like an article: a reject, and its own .txt files are read
    (folder / "dir.txt" / "inner.txt").write_text(LONG + " Inner.", encoding="utf-8")
    os.mkfifo(folder / "fifo.txt")  # read, it would block for ever
    (folder / "broken.txt").symlink_to(tmp_path / "gone.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "device.txt").symlink_to("/dev/zero")  # read, it would never end
    (folder / "linkdir.txt").symlink_to(tmp_path)
    (tmp_path / "outside.txt").write_text(LONG + " Linked.", encoding="utf-8")
    (folder / "linked.txt").symlink_to(tmp_path / "outside.txt")  # a link to a regular file is read
    (folder / "sub").mkdir()
    (folder / "sub" / "again").symlink_to(folder)  # a link back up: not followed, no endless walk
    params = _params(tmp_path, folder)
    proc = run_cli("clean", "--params", str(params), cwd=tmp_path, timeout=180)
    assert proc.returncode == 0, proc.err
    report, rejects, kept = _accounting(tmp_path, len(rows) + 8)
    assert {r["id"] for r in kept} == {r["id"] for r in rows} | {"dir.txt/inner", "linked"}
    details = {rid: (r["reason"], r["detail"]) for rid, r in rejects.items()}
    assert details == {
        "dir": ("not_a_file", "not a regular file: a folder"),
        "fifo": ("not_a_file", "not a regular file: a named pipe (FIFO)"),
        "broken": ("not_a_file", "not a regular file: a broken symbolic link (its target does not exist)"),
        "loop": ("not_a_file", "not a regular file: a symbolic link loop"),
        "device": ("not_a_file", "not a regular file: a symbolic link to a device"),
        "linkdir": ("not_a_file", "not a regular file: a symbolic link to a folder"),
    }
    assert report["reasons"] == {"not_a_file": 6}


def test_an_entry_or_folder_that_cannot_be_read_is_one_reject(tmp_path, monkeypatch):
    """Permission denied and I/O errors (simulated: the tests may run as root, who reads everything)."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "articles"
    (folder / "locked").mkdir(parents=True)
    rows = make_corpus(9, seed=7)
    for r in rows:
        (folder / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
    for name in ("denied", "failing", "locked/hidden"):
        (folder / f"{name}.txt").write_text(LONG, encoding="utf-8")
    real_open, real_scandir = os.open, os.scandir

    def fake_open(path, flags, *args, **kwargs):
        if str(path).endswith("denied.txt"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        if str(path).endswith("failing.txt"):
            raise OSError(errno.EIO, "Input/output error", str(path))
        return real_open(path, flags, *args, **kwargs)

    def fake_scandir(path="."):
        if str(path).endswith("locked"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "scandir", fake_scandir)
    run_clean(params_from_dict({"data": {"corpus": "articles"}}))
    _, rejects, kept = _accounting(tmp_path, len(rows) + 3)
    assert {r["id"] for r in kept} == {r["id"] for r in rows}
    assert {rid: (r["reason"], r["detail"]) for rid, r in rejects.items()} == {
        "denied": ("unreadable", "cannot read the file (Permission denied)"),
        "failing": ("unreadable", "cannot read the file (Input/output error)"),
        "locked": ("unreadable", "cannot list the folder (Permission denied); the .txt files in it were not read"),
    }


def test_an_article_larger_than_max_chars_allows_is_not_read(tmp_path, monkeypatch):
    """A .txt file over 4 bytes per allowed character, and a JSONL line over 12 bytes per allowed character (plus
    1 MiB for the other fields), are rejects as too_long without being read whole; the records after them are."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "txt").mkdir()
    rows = make_corpus(9, seed=8)
    for r in rows:
        (tmp_path / "txt" / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
    (tmp_path / "txt" / "huge.txt").write_bytes(b"x" * 50_000)
    run_clean(params_from_dict({"data": {"corpus": "txt"}, "clean": {"max_chars": 10_000}}))
    _, rejects, _ = _accounting(tmp_path, 10)
    assert rejects["huge"]["reason"] == "too_long"
    assert rejects["huge"]["detail"] == "file has 50,000 bytes, more than clean.max_chars=10,000 characters can take"

    lines = [json.dumps(r) for r in rows[:4]] + [json.dumps({"id": "huge", "text": "y" * 2_000_000})] \
        + [json.dumps(r) for r in rows[4:]]
    (tmp_path / "c.jsonl").write_text("\r".join(lines), encoding="utf-8")  # CR line ends, no final one
    run_clean(params_from_dict({"data": {"corpus": "c.jsonl"}, "clean": {"max_chars": 10_000}}))
    _, rejects, kept = _accounting(tmp_path, 10)
    assert [r["id"] for r in kept] == [r["id"] for r in rows]
    (rej,) = rejects.values()
    assert rej["reason"] == "too_long" and rej["source"].endswith("c.jsonl:5")
    assert "the line has more than 1,168,576 bytes" in rej["detail"] and "clean.max_chars=10,000" in rej["detail"]


def test_a_corpus_that_is_a_fifo_or_a_device_is_one_clear_error(tmp_path, models):
    os.mkfifo(tmp_path / "pipe.jsonl")
    for corpus, what in ((tmp_path / "pipe.jsonl", "a named pipe (FIFO)"), (Path("/dev/null"), "a device")):
        proc = run_cli("clean", "--params", str(_params(tmp_path, corpus)), cwd=tmp_path, timeout=120)
        assert proc.returncode == 2
        assert proc.err == (f"newssift: error: {corpus}: the corpus is {what}; give a JSONL file or a folder of "
                            ".txt files (or a CSV or Parquet file, or a save_to_disk folder)\n")
    proc = run_cli("predict", "--models", str(models), "--input", str(tmp_path / "pipe.jsonl"), timeout=120)
    assert proc.returncode == 2 and "the corpus is a named pipe (FIFO)" in proc.err and proc.err.count("\n") == 1


def test_predict_file_arguments_that_are_not_regular_files_fail_alone(tmp_path, models):
    (tmp_path / "a.txt").write_text(make_corpus(1)[0]["text"], encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    proc = run_cli("predict", "--models", str(models), str(tmp_path / "a.txt"), str(tmp_path / "pipe.txt"),
                   "/dev/zero", timeout=120)
    assert proc.returncode == 1, proc.err
    assert [json.loads(line)["source"] for line in proc.out.splitlines()] == [str(tmp_path / "a.txt")]
    assert f"{tmp_path / 'pipe.txt'}: not a regular file: a named pipe (FIFO)" in proc.err
    assert "/dev/zero: not a regular file: a device" in proc.err
    assert "processed 1, failed 2 (not_a_file 2)" in proc.err


# --------------------------------------------------------------------------------------------------------------
# encodings and line ends: counted in records
# --------------------------------------------------------------------------------------------------------------

ENCODINGS = PROMISED_ENCODINGS
EOLS = LINE_ENDS


def _rows() -> list[dict]:
    rows = make_corpus(9, seed=4)
    rows[0]["text"] = "Grüße aus Köln — “quoted” ✓ 😀\n" + rows[0]["text"]
    rows[0]["line_labels"] = [1] + rows[0]["line_labels"]
    rows[1]["text"] = rows[1]["text"].replace("\n", "\r")  # a text of CR line ends (escaped in JSON)
    return rows


@pytest.mark.parametrize("eol", EOLS)
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_promised_encoding_and_line_end_counts_records(tmp_path, encoding, eol):
    codec, bom = ENCODINGS[encoding]
    rows = _rows()
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    lines.insert(4, "{not json}")
    lines.insert(6, "   ")  # blank: not a record
    text = EOLS[eol].join(lines) + EOLS[eol]
    path = tmp_path / "c.jsonl"
    path.write_bytes(bom + text.encode(codec))
    kept, rejects, report = clean_records(read_records(path))
    assert report["read"] == 10 == report["kept"] + report["rejected"] + report["duplicates"]
    assert [r.id for r in kept] == [r["id"] for r in rows]
    assert [r.text for r in kept] == [clean_text(r["text"]) for r in rows]
    assert [(r.reason, r.source) for r in rejects] == [("invalid_json", f"{path}:5")]
    assert count_records(path) == 10  # the progress bar counts the same records


def test_utf32_le_with_a_bom_is_read_as_utf32_not_utf16(tmp_path):
    """The UTF-32-LE BOM (FF FE 00 00) begins with the UTF-16-LE one (FF FE): it was read as UTF-16."""
    text = "Zürich — “UTF-32” ✓ 😀\n" + LONG
    data = codecs.BOM_UTF32_LE + text.encode("utf-32-le")
    assert decode_bytes(data) == (text, None)
    (tmp_path / "txt").mkdir()
    (tmp_path / "txt" / "a.txt").write_bytes(data)
    (rec,) = read_records(tmp_path / "txt")
    assert isinstance(rec, Record) and rec.text == text
    (tmp_path / "c.jsonl").write_bytes(codecs.BOM_UTF32_LE + (json.dumps({"id": "a", "text": text}) + "\n"
                                                              ).encode("utf-32-le"))
    (rec,) = read_records(tmp_path / "c.jsonl")
    assert isinstance(rec, Record) and rec.text == text


@pytest.mark.parametrize("encoding, bad", [
    ("utf-8", b"\xff"),
    ("utf-16-le-bom", b"\x00\xd8"),  # a lone high surrogate code unit
    ("utf-16-be", b"\xdc\x00"),  # a lone low surrogate, in a file without a BOM
    ("utf-32-le-bom", b"\x00\x00\x11\x00"),  # above U+10FFFF
    ("utf-32-be-bom", b"\x00\x00\xd8\x00"),  # a surrogate in UTF-32
])
def test_one_bad_code_unit_rejects_its_record_not_the_file(tmp_path, encoding, bad):
    codec, bom = ENCODINGS[encoding]
    rows = _rows()
    encoded = [json.dumps(r, ensure_ascii=False).encode(codec) for r in rows]
    cut = len(encoded[4]) // 2 // len(bad) * len(bad)  # on a code unit boundary, inside the text
    encoded[4] = encoded[4][:cut] + bad + encoded[4][cut:]
    path = tmp_path / "c.jsonl"
    path.write_bytes(bom + "\r\n".encode(codec).join(encoded))
    out = list(read_records(path))
    assert [o.id for o in out if isinstance(o, Record)] == [r["id"] for i, r in enumerate(rows) if i != 4]
    (rej,) = [o for o in out if isinstance(o, Reject)]
    assert rej.reason == "encoding" and rej.source == f"{path}:5"
    assert ("UTF-8" if codec == "utf-8" else codec.upper()) in rej.detail


def test_cr_only_and_mixed_line_ends_are_records(tmp_path):
    rows = _rows()
    path = tmp_path / "c.jsonl"
    ends = ["\r", "\n", "\r\n", "\r", "\r", "\n\r", "\r\n", "\n", "\r"]  # "\n\r": two line ends, a blank line
    path.write_text("".join(json.dumps(r) + e for r, e in zip(rows, ends)), encoding="utf-8", newline="")
    out = list(read_records(path))
    assert [o.id for o in out] == [r["id"] for r in rows] and all(isinstance(o, Record) for o in out)
    assert [o.source.rsplit(":", 1)[1] for o in out] == ["1", "2", "3", "4", "5", "6", "8", "9", "10"]
    assert count_records(path) == 9


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_txt_files_in_every_promised_encoding(tmp_path, encoding):
    codec, bom = ENCODINGS[encoding]
    text = "Grüße — “quoted” ✓ 😀\r" + LONG + "\r\nLast line.\n"  # CR, CRLF and LF line ends in one article
    (tmp_path / "txt").mkdir()
    (tmp_path / "txt" / "a.txt").write_bytes(bom + text.encode(codec))
    labels = tmp_path / "labels.jsonl"
    labels.write_bytes(bom + (json.dumps({"id": "a", "line_labels": [1, 0, 1, 0]}) + "\r").encode(codec))
    (rec,) = read_records(tmp_path / "txt", labels)
    assert isinstance(rec, Record) and rec.text == text and count_lines(rec.text) == 4
    assert rec.line_labels == [1, 0, 1, 0]


def test_rows_written_by_clean_count_the_same_when_read_again(tmp_path, monkeypatch):
    """The clean stage's own output is a corpus: read again, every kept row is one record."""
    monkeypatch.chdir(tmp_path)
    rows = _rows()
    write_jsonl("c.jsonl", rows)
    run_clean(params_from_dict({"data": {"corpus": "c.jsonl"}}))
    again = list(read_records("data/clean/corpus.parquet"))
    assert all(isinstance(r, Record) for r in again) and len(again) == len(rows)
