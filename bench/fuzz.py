"""Fuzz harness: the corpus reader, the labels reader and the model loader under generated hostile input.

Each target is a hypothesis strategy and a check; the check raises (an AssertionError, or whatever escaped the
code under test) on a failure. What every target asserts: no uncaught exception, exit codes as documented
(``clean``: 0 when something was kept, else 2; ``predict``: 0 when every record was processed, 1 when some
failed, 2 for a usage or model error, in one line), and the counts add up (read = kept + rejected + duplicates,
and read = the records the input holds).

- ``jsonl_bytes``: arbitrary bytes as a JSONL corpus: one record or reject per non-blank line (lines end at
  ``\\n``, ``\\r\\n`` or ``\\r``), line numbers in order, one-line reject details, clean's counts add up;
- ``jsonl_corpus``: structured corpora in every promised encoding and line end (valid records, blank lines,
  invalid JSON, 4,301-digit integers, NaN, wrong types, unknown keys, a bad code unit): read = the records
  written, every valid record read back as itself and every bad one rejected with its reason; then
  ``newssift clean`` on it: exit code 0 or 2 as documented, counts, and what it keeps reads back as records and
  never makes the split refuse a record;
- ``txt_folder``: folders of ``.txt`` entries (files in any promised encoding or random bytes, nested files,
  folders, FIFOs, broken and looping links, a device) with a labels file (rows for files, for no file, integer
  ids, duplicates, garbage, wrong types): read = entries + labels rows that label nothing; then ``newssift
  clean``;
- ``model_loader``: a trained TF-IDF model folder with its manifest's bytes edited, a field deleted or retyped
  (checksum redone, as a forger would), a model file damaged or replaced, an extra file, a manifest that is a
  FIFO, folder or link: loading gives a model that predicts, or one :class:`ModelLoadError`; an edit without the
  checksum redone is always refused; ``newssift predict`` exits 0, or 2 with one error line;
- ``predict_cli``: ``newssift predict --input`` over structured corpora: exit code 0 or 1 as documented,
  processed + failed = records, one output line per processed record.

Every check runs under an alarm (30 s): a read that blocks is a failure ("hang"), not a stuck run.

    python bench/fuzz.py                          # the bench: --examples inputs per target, bench/results/fuzz.json
    python bench/fuzz.py --examples 50 --target model_loader --output /tmp/fuzz.json

``tests/test_fuzz.py`` runs the same targets in CI with a fixed, small budget (derandomized: the same inputs on
every run).
"""
from __future__ import annotations

import argparse
import atexit
import codecs
import contextlib
import io
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from newssift.data.corpus import LINE_ENDS, PROMISED_ENCODINGS

ROOT = Path(__file__).resolve().parents[1]

ENCODINGS = PROMISED_ENCODINGS
EOLS = list(LINE_ENDS.values())
BAD_UNITS = {  # a code unit (or byte sequence) that does not decode, per codec
    "utf-8": [b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"],
    "utf-16-le": [b"\x00\xd8", b"\x00\xdc"],
    "utf-16-be": [b"\xd8\x00", b"\xdc\x00"],
    "utf-32-le": [b"\x00\x00\x11\x00", b"\x00\xd8\x00\x00"],
    "utf-32-be": [b"\x00\x11\x00\x00", b"\x00\x00\xd8\x00"],
}
JSON_BLANK = b" \t\x0b\x0c"
REASONS = {  # every reject reason the readers and the clean stage give (README, "Guarantees")
    "invalid_json", "not_an_object", "unknown_keys", "missing_id", "encoding", "missing_text", "text_not_string",
    "too_long", "binary", "bad_topic", "bad_line_labels", "line_labels_length", "not_a_file", "unreadable",
    "duplicate_labels", "no_article", "duplicate_id", "empty", "too_short", "exact_duplicate", "rare_topic",
}

_TOPIC_WORDS = {
    "sport": "match goal striker coach league season injury final referee stadium",
    "business": "shares profit market investors quarter revenue bank merger prices growth",
    "science": "researchers study cells climate telescope experiment species data laboratory energy",
}
_BOILER = ["Photo by Ann Lee/Getty Images", "Share this article", "Advertisement", "Sign up for our newsletter"]


def make_rows(n: int, seed: int = 0) -> list[dict]:
    """``n`` small labelled articles (3 topics in turn), as tests/conftest.py makes them."""
    import random

    rng = random.Random(seed)
    topics = sorted(_TOPIC_WORDS)
    rows = []
    for i in range(n):
        topic = topics[i % 3]
        words = _TOPIC_WORDS[topic].split() + ["the", "and", "of", "a", "said"]
        lines, labels = [rng.choice(_BOILER)], [1]
        for _ in range(rng.randint(3, 5)):
            lines.append(" ".join(rng.choice(words) for _ in range(rng.randint(14, 24))).capitalize() + ".")
            labels.append(0)
        lines.append(rng.choice(_BOILER))
        labels.append(1)
        rows.append({"id": f"doc{i:03d}", "text": "\n".join(lines), "topic": topic, "line_labels": labels})
    return rows


POOL = [r["text"] for r in make_rows(24, seed=99)]


# --------------------------------------------------------------------------------------------------------------
# the run around each check: a temporary folder, an alarm, the command line in-process
# --------------------------------------------------------------------------------------------------------------

class Hang(Exception):
    pass


@contextlib.contextmanager
def alarm(seconds: int = 30):
    """A check that blocks longer than ``seconds`` raises :class:`Hang` (main thread, POSIX)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def on_alarm(signum, frame):
        raise Hang(f"blocked for more than {seconds} s")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


@contextlib.contextmanager
def workdir():
    d = Path(tempfile.mkdtemp(prefix="newssift-fuzz-"))
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)


def run_main(args: list[str], cwd: Path) -> tuple[int, str, str]:
    """``newssift ARGS`` in this process (in ``cwd``): (exit code, stdout, stderr). Any exception other than the
    command line's own handling escapes (a failure of the target)."""
    from newssift.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = main(args)
            except SystemExit as exc:  # argparse
                rc = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.chdir(old)
    return rc, out.getvalue(), err.getvalue()


def write_params(folder: Path, corpus: Path, labels: Path | None = None, **clean) -> Path:
    import yaml

    path = folder / "params.yaml"
    path.write_text(yaml.safe_dump({"data": {"corpus": str(corpus), "labels": None if labels is None else
                                             str(labels)}, "clean": clean}), encoding="utf-8")
    return path


def check_items(items: list, path_name: str | None = None) -> None:
    """Every item is a Record or a Reject with a known reason and a one-line detail; records serialise."""
    from newssift.data.corpus import Record, Reject
    from newssift.files import json_line

    for it in items:
        assert isinstance(it, (Record, Reject)), type(it)
        if isinstance(it, Reject):
            assert it.reason in REASONS, it
            assert isinstance(it.detail, str) and it.detail and "\n" not in it.detail, it
            json_line(it.to_json())
        else:
            assert isinstance(it.id, str) and it.id.strip() and isinstance(it.text, str), it
            json_line(it.to_json())


def check_clean_command(folder: Path, params: Path, expected_read: int) -> dict:
    """``newssift clean``: exit code as documented, one error line at most, the counts add up and what it kept
    is a corpus of records that the split never refuses record by record."""
    from newssift.data.corpus import Record, read_records
    from newssift.data.split import split_rows
    from newssift.errors import DataError
    from newssift.files import read_jsonl, read_parquet

    rc, _, err = run_main(["clean", "--params", str(params)], folder)
    assert "Traceback" not in err, err
    report = json.loads((folder / "reports" / "clean.json").read_text(encoding="utf-8"))
    assert report["read"] == expected_read, (report, expected_read)
    assert report["read"] == report["kept"] + report["rejected"] + report["duplicates"], report
    rejects = read_jsonl(folder / "data" / "rejects.jsonl")
    assert len(rejects) == report["rejected"] + report["duplicates"]
    assert all(r["reason"] in REASONS for r in rejects), rejects
    if report["kept"]:
        assert rc == 0, (rc, err)
        again = list(read_records(folder / "data" / "clean" / "corpus.parquet"))
        assert len(again) == report["kept"] and all(isinstance(r, Record) for r in again), again[:3]
        try:
            split_rows(read_parquet(folder / "data" / "clean" / "corpus.parquet"), 0.15, 0.2, 0)
        except DataError as exc:  # the data set as a whole may be too small; never one record's fault
            assert "each topic needs at least 3 distinct articles" not in str(exc), str(exc)
    else:
        assert rc == 2 and err.startswith("newssift: error: ") and err.count("\n") == 1, (rc, err)
    return report


# --------------------------------------------------------------------------------------------------------------
# JSONL corpora
# --------------------------------------------------------------------------------------------------------------

def _sniffs_utf8(data: bytes) -> bool:
    """The README's rule, restated: no BOM and not UTF-16 without a BOM (ASCII characters then NULs)."""
    boms = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
    if data.startswith(boms[1:]):
        return False
    h = data[:4]
    if len(h) >= 4 and ((h[1] == 0 and h[3] == 0 and h[0] and h[2]) or (h[0] == 0 and h[2] == 0 and h[1] and h[3])):
        return False
    return True


_FRAGMENTS = [b'{"id": "a", "text": "Some text of an article here."}', b"{", b"}", b"[1, 2]", b'"str"', b"null",
              b"\r", b"\n", b"\r\n", b" ", b"\x0c", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b'{"id": 1' + b"0" * 4400 + b"}",
              b'{"id": "n", "text": NaN}', b'{"id": "x", "text": "a", "meta": 1e400}', b"[" * 3000, b"\xc3\xa9",
              b'{"id": "\\ud800", "text": "x"}', b'{"id": "u", "text": "a\\u0000b"}']
jsonl_bytes = st.one_of(
    st.binary(max_size=3000),
    st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.binary(max_size=40)), max_size=30).map(b"".join),
)


def check_jsonl_bytes(data: bytes) -> None:
    from newssift.data.cleaning import clean_records
    from newssift.data.corpus import read_records

    with workdir() as d, alarm():
        path = d / "c.jsonl"
        path.write_bytes(data)
        items = list(read_records(path))
        check_items(items)
        numbers = [int(it.source.rsplit(":", 1)[1]) for it in items]
        assert numbers == sorted(set(numbers)), numbers
        if _sniffs_utf8(data):
            body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
            pieces = re.split(rb"\r\n|\r|\n", body)
            if pieces and pieces[-1] == b"":
                pieces.pop()
            expected = [i + 1 for i, p in enumerate(pieces) if p.strip(JSON_BLANK)]
            assert numbers == expected, (numbers, expected)
        _, _, report = clean_records(iter(items))
        assert report["read"] == len(items) == report["kept"] + report["rejected"] + report["duplicates"]


safe_text = st.lists(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(
    ["\r", "\n", "\r\n", "\u2028", "\t", "é", "😀", "\ufeff"]), max_size=20).map("".join)


@st.composite
def valid_record(draw) -> dict:
    text = draw(st.sampled_from(POOL))
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(text)))
        text = text[:cut] + draw(safe_text) + text[cut:]
    rec: dict[str, Any] = {"text": text}
    topic = draw(st.sampled_from(["sport", "business", "science", None, " padded ", "absent"]))
    if topic != "absent":
        rec["topic"] = topic
    if draw(st.booleans()):
        n = len(re.split(r"\r\n|\r|\n", text))
        rec["line_labels"] = draw(st.lists(st.sampled_from([0, 1]), min_size=n, max_size=n))
    if draw(st.booleans()):
        rec["meta"] = draw(st.dictionaries(st.text(max_size=4), st.integers(-10**20, 10**20) | st.text(max_size=8),
                                           max_size=3))
    return rec


BAD_LINES = {  # kind -> (line, reason)
    "invalid_json": ('{"id": "x", "text": ', "invalid_json"),
    "huge_int": ('{"id": "h", "text": "t", "meta": ' + "9" * 4301 + "}", "invalid_json"),
    "nan": ('{"id": "n", "text": "t", "meta": NaN}', "invalid_json"),
    "overflow": ('{"id": "o", "text": "t", "meta": -1e999}', "invalid_json"),
    "not_an_object": ('["id", "text"]', "not_an_object"),
    "missing_id": ('{"text": "no id here"}', "missing_id"),
    "missing_text": ('{"id": "m"}', "missing_text"),
    "text_not_string": ('{"id": "t", "text": 42}', "text_not_string"),
    "bad_topic": ('{"id": "b", "text": "t", "topic": ["x"]}', "bad_topic"),
    "bad_line_labels": ('{"id": "l", "text": "t", "line_labels": [2]}', "bad_line_labels"),
    "line_labels_length": ('{"id": "k", "text": "a\\rb", "line_labels": [0]}', "line_labels_length"),
    "unknown_keys": ('{"id": "u", "text": "t", "colour": "red"}', "unknown_keys"),
    "binary": ('{"id": "z", "text": "a\\u0000b"}', "binary"),
}


@st.composite
def jsonl_corpus(draw) -> dict:
    """A corpus file and what it should read as: ``entries`` of (kind, line), the encoding and the line ends."""
    encoding = draw(st.sampled_from(sorted(ENCODINGS)))
    kinds = draw(st.lists(st.sampled_from(["valid"] * 6 + ["blank"] + sorted(BAD_LINES) + ["bad_unit"]),
                          max_size=16))
    if not ENCODINGS[encoding][1] and encoding.startswith("utf-16"):
        kinds = ["valid"] + kinds  # without a BOM, UTF-16 is recognised by a first ASCII character
    entries = []
    for i, kind in enumerate(kinds):
        if kind in ("valid", "bad_unit"):
            line = json.dumps({"id": f"r{i}", **draw(valid_record())}, ensure_ascii=draw(st.booleans()))
        elif kind == "blank":
            line = draw(st.sampled_from(["", " ", "\t", " \x0c "]))
        else:
            line = BAD_LINES[kind][0]
        entries.append((kind, line, draw(st.sampled_from(EOLS))))
    bad_at = [draw(st.floats(0, 1)) for _ in entries]
    bad_unit = [draw(st.sampled_from(BAD_UNITS[ENCODINGS[encoding][0]])) for _ in entries]
    return {"encoding": encoding, "entries": entries, "bad_at": bad_at, "bad_unit": bad_unit,
            "final_eol": draw(st.booleans())}


def corpus_bytes(spec: dict) -> bytes:
    codec, bom = ENCODINGS[spec["encoding"]]
    unit = {"utf-8": 1, "utf-16-le": 2, "utf-16-be": 2, "utf-32-le": 4, "utf-32-be": 4}[codec]
    out = [bom]
    n = len(spec["entries"])
    for k, (kind, line, eol) in enumerate(spec["entries"]):
        raw = line.encode(codec)
        if kind == "bad_unit":
            cut = int(len(raw) // unit * spec["bad_at"][k]) * unit
            raw = raw[:cut] + spec["bad_unit"][k] + raw[cut:]
        out.append(raw)
        if k < n - 1 or spec["final_eol"]:
            out.append(eol.encode(codec))
    return b"".join(out)


def expected_records(spec: dict) -> list[tuple[str, str]]:
    """(kind, id or reason) of each record the file holds, in order."""
    out = []
    for i, (kind, line, _) in enumerate(spec["entries"]):
        if kind == "blank":
            continue
        if kind == "valid":
            out.append((kind, f"r{i}"))
        elif kind == "bad_unit":
            out.append((kind, "encoding"))
        else:
            out.append((kind, BAD_LINES[kind][1]))
    return out


def check_jsonl_corpus(spec: dict) -> None:
    from newssift.data.corpus import Record, read_records

    data = corpus_bytes(spec)
    expected = expected_records(spec)
    with workdir() as d, alarm():
        path = d / "c.jsonl"
        path.write_bytes(data)
        items = list(read_records(path))
        check_items(items)
        got = [("valid", it.id) if isinstance(it, Record) else ("bad", it.reason) for it in items]
        assert [g[1] for g in got] == [e[1] for e in expected], (got, expected)
        check_clean_command(d, write_params(d, path), len(expected))


# --------------------------------------------------------------------------------------------------------------
# folders of .txt files and their labels
# --------------------------------------------------------------------------------------------------------------

ENTRY_KINDS = ["file"] * 6 + ["nested", "folder", "folder_with_file", "fifo", "broken_link", "loop", "device",
                                "link_to_folder", "link_to_file"]


@st.composite
def txt_folder(draw) -> dict:
    n = draw(st.integers(0, 9))
    entries = []
    for i in range(n):
        kind = draw(st.sampled_from(ENTRY_KINDS))
        name = draw(st.sampled_from([f"a{i}", str(100 + i), f"Ünï{i}", f"sp ace{i}"]))
        payload = b""
        if kind in ("file", "nested", "folder_with_file", "link_to_file"):
            if draw(st.integers(0, 4)) == 0:
                payload = draw(st.binary(max_size=300))
            else:
                codec, bom = ENCODINGS[draw(st.sampled_from(sorted(ENCODINGS)))]
                text = draw(st.sampled_from(POOL)).replace("\n", draw(st.sampled_from(EOLS)))
                payload = bom + text.encode(codec)
        entries.append({"kind": kind, "name": name, "payload": payload})
    ids = [e["name"] if e["kind"] != "nested" else f"sub/{e['name']}" for e in entries]
    labels = None
    if draw(st.booleans()):
        rows = []
        for _ in range(draw(st.integers(0, 10))):
            kind = draw(st.sampled_from(["label"] * 4 + ["int_id", "ghost", "garbage", "no_id", "not_object",
                                         "bad_id", "blank", "bad_values"]))
            if kind in ("label", "bad_values") and ids:
                rid = draw(st.sampled_from(ids))
                row: dict[str, Any] = {"id": rid}
                if kind == "label":
                    row["topic"] = draw(st.sampled_from(["sport", "science", None]))
                else:
                    row[draw(st.sampled_from(["topic", "line_labels", "colour", "text"]))] = draw(
                        st.sampled_from([7, "", [2], "x", None, {"a": 1}]))
                rows.append(("row", json.dumps(row, ensure_ascii=False)))
            elif kind == "int_id":
                rows.append(("row", json.dumps({"id": draw(st.integers(99, 110)), "topic": "sport"})))
            elif kind == "ghost":
                rows.append(("row", json.dumps({"id": "ghost-" + draw(st.text(max_size=5)), "topic": "sport"})))
            elif kind == "garbage":
                text = draw(st.text(max_size=20))
                # no line end, and no NUL: "\x01\x00a\x00" would rightly read as UTF-16 without a BOM
                rows.append(("garbage", "\x01" + re.sub("[\r\n\x00]", "", text)))
            elif kind == "no_id":
                rows.append(("garbage", json.dumps({"topic": "sport"})))
            elif kind == "not_object":
                rows.append(("garbage", json.dumps([1, "id"])))
            elif kind == "bad_id":
                rows.append(("garbage", json.dumps({"id": draw(st.sampled_from([True, None, "", "  ", [1], 1.5]))})))
            else:
                rows.append(("blank", ""))
        labels = {"encoding": draw(st.sampled_from(["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-32-be-bom"])),
                  "rows": rows, "eol": draw(st.sampled_from(EOLS)), "latin1_row": draw(st.booleans())}
    return {"entries": entries, "labels": labels}


def build_txt_folder(spec: dict, d: Path) -> tuple[Path, Path | None, int]:
    """Lay the folder out; returns (folder, labels file, records expected)."""
    folder = d / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "notes.md").write_text("not a .txt file: not part of the corpus", encoding="utf-8")
    entry_ids = []
    n_paths = 0
    for e in spec["entries"]:
        kind, name = e["kind"], e["name"]
        path = folder / ("sub" if kind == "nested" else "") / f"{name}.txt"
        if os.path.lexists(path):
            continue
        entry_ids.append(path.relative_to(folder).as_posix()[:-4])
        n_paths += 1
        if kind in ("file", "nested"):
            path.write_bytes(e["payload"])
        elif kind == "folder":
            path.mkdir()
        elif kind == "folder_with_file":
            path.mkdir()
            (path / "inner.txt").write_bytes(e["payload"])
            entry_ids.append(f"{name}.txt/inner")
            n_paths += 1
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "broken_link":
            path.symlink_to(d / "nowhere")
        elif kind == "loop":
            path.symlink_to(path)
        elif kind == "device":
            path.symlink_to("/dev/zero")
        elif kind == "link_to_folder":
            path.symlink_to(folder / "sub")
        else:  # link_to_file
            target = d / f"target-{name}"
            target.write_bytes(e["payload"])
            path.symlink_to(target)
    labels = None
    standalone = 0
    if spec["labels"] is not None:
        lab = spec["labels"]
        codec, bom = ENCODINGS[lab["encoding"]]
        used = set()
        lines = []
        for kind, line in lab["rows"]:
            lines.append(line.encode(codec))
            if kind == "blank":
                continue
            if kind == "garbage":
                standalone += 1
                continue
            rid = json.loads(line)["id"]
            rid = str(rid) if isinstance(rid, int) else rid
            if rid in entry_ids and rid not in used:
                used.add(rid)
            else:
                standalone += 1
        if lab["latin1_row"] and codec == "utf-8":
            lines.append('{"id": "caf\u00e9"}'.encode("latin-1"))  # not UTF-8: a reject of its own
            standalone += 1
        labels = d / "labels.jsonl"
        labels.write_bytes(bom + lab["eol"].encode(codec).join(lines))
    return folder, labels, n_paths + standalone


def check_txt_folder(spec: dict) -> None:
    from newssift.data.cleaning import clean_records
    from newssift.data.corpus import read_records

    with workdir() as d, alarm():
        folder, labels, expected = build_txt_folder(spec, d)
        items = list(read_records(folder, labels))
        check_items(items)
        assert len(items) == expected, (len(items), expected, [getattr(i, "reason", "ok") for i in items])
        _, _, report = clean_records(iter(items))
        assert report["read"] == expected == report["kept"] + report["rejected"] + report["duplicates"]
        check_clean_command(d, write_params(d, folder, labels), expected)


# --------------------------------------------------------------------------------------------------------------
# the model loader
# --------------------------------------------------------------------------------------------------------------

@dataclass
class Models:
    root: Path | None = None
    texts: list[str] = field(default_factory=lambda: [r["text"] for r in make_rows(3, seed=7)])


MODELS = Models()


def trained_models() -> Path:
    """A TF-IDF models folder (tfidf/boilerplate, tfidf/topic) trained once per process on small rows."""
    if MODELS.root is None or not MODELS.root.is_dir():
        from newssift.models.tfidf import (
            TfidfBoilerplateClassifier,
            TfidfTopicClassifier,
        )

        root = Path(tempfile.mkdtemp(prefix="newssift-fuzz-models-"))
        atexit.register(shutil.rmtree, root, True)
        rows = make_rows(36, seed=17)
        docs = [r["text"].split("\n") for r in rows]
        labels = [r["line_labels"] for r in rows]
        bp = TfidfBoilerplateClassifier(n_features=2048)
        bp.fit(docs[:27], labels[:27], docs[27:], labels[27:])
        bp.save(root / "tfidf" / "boilerplate")
        TfidfTopicClassifier(n_features=2048).fit(
            [r["text"] for r in rows], [r["topic"] for r in rows]).save(root / "tfidf" / "topic")
        MODELS.root = root
    return MODELS.root


json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=5).map(lambda k: "k_" + k), c, max_size=3),
    max_leaves=6)
probability_lists = st.lists(st.floats(-0.5, 1.5), min_size=0, max_size=3)
hmm_value = st.fixed_dictionaries({}, optional={
    "start": probability_lists, "prior": probability_lists,
    "trans": st.lists(probability_lists, max_size=3)})
FIELDS = ["format", "format_version", "family", "task", "files", "labels", "params", "seed", "threshold", "hmm",
          "newssift_version", "text_split", "smoothing", "k_unknown", "manifest_sha256"]


@st.composite
def model_mutation(draw) -> dict:
    kind = draw(st.sampled_from(["manifest_bytes", "manifest_field", "manifest_field", "model_file", "special"]))
    m: dict[str, Any] = {"kind": kind, "task": draw(st.sampled_from(["boilerplate", "topic"])),
                         "cli": draw(st.integers(0, 4)) == 0}
    if kind == "manifest_bytes":
        m["ops"] = draw(st.lists(st.tuples(st.sampled_from(["flip", "insert", "delete", "truncate", "replace"]),
                                           st.floats(0, 1), st.binary(min_size=1, max_size=4)), min_size=1,
                                 max_size=3))
    elif kind == "manifest_field":
        m["field"] = draw(st.sampled_from(FIELDS))
        m["action"] = draw(st.sampled_from(["delete", "set", "set"]))
        m["value"] = draw(hmm_value if m["field"] == "hmm" and draw(st.booleans()) else json_value)
        m["redigest"] = draw(st.integers(0, 5)) > 0
    elif kind == "model_file":
        m["op"] = draw(st.sampled_from(["flip", "truncate", "random", "delete", "extra", "empty"]))
        m["at"] = draw(st.floats(0, 0.999))
        m["bytes"] = draw(st.binary(max_size=64))
    else:
        m["special"] = draw(st.sampled_from(["fifo", "folder", "broken_link", "device", "empty", "no_manifest"]))
    return m


def _mutate_bytes(data: bytes, ops) -> bytes:
    b = bytearray(data)
    for op, at, chunk in ops:
        i = min(int(len(b) * at), max(len(b) - 1, 0))
        if op == "flip" and b:
            b[i] ^= chunk[0] or 1
        elif op == "insert":
            b[i:i] = chunk
        elif op == "delete":
            del b[i:i + len(chunk)]
        elif op == "truncate":
            del b[i:]
        else:
            b[i:i + len(chunk)] = chunk
    return bytes(b)


def apply_mutation(m: dict, root: Path) -> bool:
    """Apply ``m`` to the models under ``root``; True when loading must be refused."""
    from newssift.artifacts import DIGEST_FIELD, manifest_digest, manifest_text

    folder = root / "tfidf" / m["task"]
    mpath = folder / "manifest.json"
    if m["kind"] == "manifest_bytes":
        before = mpath.read_bytes()
        after = _mutate_bytes(before, m["ops"])
        mpath.write_bytes(after)
        return after != before
    if m["kind"] == "manifest_field":
        manifest = json.loads(mpath.read_text())
        before = dict(manifest)
        if m["action"] == "delete":
            manifest.pop(m["field"], None)
        else:
            manifest[m["field"]] = m["value"]
        if m["redigest"] and m["field"] != DIGEST_FIELD:
            manifest[DIGEST_FIELD] = manifest_digest(manifest)
        mpath.write_text(manifest_text(manifest))
        return (not m["redigest"] or m["field"] == DIGEST_FIELD) and manifest != before
    if m["kind"] == "model_file":
        path = folder / "model.safetensors"
        data = path.read_bytes()
        if m["op"] == "flip":
            i = int(len(data) * m["at"])
            path.write_bytes(data[:i] + bytes([data[i] ^ 0x01]) + data[i + 1:])
        elif m["op"] == "truncate":
            path.write_bytes(data[:int(len(data) * m["at"])])
        elif m["op"] == "random":
            path.write_bytes(m["bytes"])
        elif m["op"] == "delete":
            path.unlink()
        elif m["op"] == "empty":
            path.write_bytes(b"")
        else:
            (folder / "extra.bin").write_bytes(m["bytes"])
        return True
    mpath.unlink()
    special = m["special"]
    if special == "fifo":
        os.mkfifo(mpath)
    elif special == "folder":
        mpath.mkdir()
    elif special == "broken_link":
        mpath.symlink_to(folder / "nowhere.json")
    elif special == "device":
        mpath.symlink_to("/dev/zero")
    elif special == "empty":
        mpath.write_bytes(b"")
    return True


def check_model_loader(m: dict) -> None:
    from newssift.errors import ModelLoadError
    from newssift.inference import load_pipeline

    with workdir() as d, alarm():
        root = d / "models"
        shutil.copytree(trained_models(), root)
        must_refuse = apply_mutation(m, root)
        try:
            pipe = load_pipeline(root, model="tfidf")
        except ModelLoadError as exc:
            text = str(exc)
            assert text and "\n" not in text, text
            loaded = False
        else:
            assert not must_refuse, f"loaded a model folder that must be refused: {m}"
            preds = pipe.predict_many(MODELS.texts + ["", "\x00"], on_error="record")
            assert len(preds) == len(MODELS.texts) + 2
            loaded = True
        if m["cli"]:
            (d / "a.txt").write_text(MODELS.texts[0], encoding="utf-8")
            rc, out, err = run_main(["predict", "-q", "--models", str(root), str(d / "a.txt")], d)
            assert "Traceback" not in err, err
            if loaded:
                assert rc == 0 and len(out.splitlines()) == 1, (rc, err)
            else:
                assert rc == 2 and err.startswith("newssift: error: ") and err.count("\n") == 1, (rc, err)


# --------------------------------------------------------------------------------------------------------------
# newssift predict --input
# --------------------------------------------------------------------------------------------------------------

_SUMMARY = re.compile(r"processed (\d+)(?: \([^)]*\))?, failed (\d+)")


def check_predict_cli(spec: dict) -> None:
    with workdir() as d, alarm(60):
        path = d / "c.jsonl"
        path.write_bytes(corpus_bytes(spec))
        expected = expected_records(spec)
        models = trained_models()
        rc, _, err = run_main(["predict", "--models", str(models), "--input", str(path), "-o", str(d / "out.jsonl"),
                               "--errors", str(d / "errors.jsonl")], d)
        assert "Traceback" not in err, err
        m = _SUMMARY.search(err)
        assert m, err
        processed, failed = int(m[1]), int(m[2])
        assert processed + failed == len(expected), (processed, failed, expected)
        assert rc == (1 if failed else 0), (rc, err)
        out = (d / "out.jsonl").read_text(encoding="utf-8").splitlines()
        errors = (d / "errors.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(out) == processed and len(errors) == failed
        assert processed <= sum(1 for k, _ in expected if k == "valid")


TARGETS: dict[str, tuple[Any, Callable[[Any], None]]] = {
    "jsonl_bytes": (jsonl_bytes, check_jsonl_bytes),
    "jsonl_corpus": (jsonl_corpus(), check_jsonl_corpus),
    "txt_folder": (txt_folder(), check_txt_folder),
    "model_loader": (model_mutation(), check_model_loader),
    "predict_cli": (jsonl_corpus(), check_predict_cli),
}
CI_BUDGET = {"jsonl_bytes": 120, "jsonl_corpus": 40, "txt_folder": 40, "model_loader": 50, "predict_cli": 6}


def fuzz(name: str, examples: int, seed: int | None = None) -> dict:
    """Run one target on ``examples`` generated inputs, recording failures instead of stopping at the first.
    Returns {"target", "inputs_tried", "failures", "failure_samples", "seconds"}."""
    strategy, check = TARGETS[name]
    tried, failures, samples = 0, 0, []

    @settings(max_examples=examples, deadline=None, database=None, derandomize=seed is None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(value):
        nonlocal tried, failures
        tried += 1
        try:
            check(value)
        except Exception as exc:  # recorded, and the run goes on
            failures += 1
            if len(samples) < 5:
                samples.append({"error": f"{type(exc).__name__}: {str(exc)[:500]}",
                                "input": repr(value)[:1000],
                                "where": "".join(traceback.format_exception(exc)[-3:])[-1500:]})

    t0 = time.perf_counter()
    if seed is not None:
        run = hypothesis_seed(seed)(run)
    run()
    return {"target": name, "inputs_tried": tried, "failures": failures, "failure_samples": samples,
            "seconds": round(time.perf_counter() - t0, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--examples", type=int, default=400, help="inputs per target (default: %(default)s; the CI "
                                                              "test runs " + ", ".join(f"{k} {v}" for k, v in
                                                                                       CI_BUDGET.items()) + ")")
    ap.add_argument("--target", action="append", choices=sorted(TARGETS), help="only this target (repeatable)")
    ap.add_argument("--seed", type=int, default=1,
                    help="hypothesis seed: the same inputs for the same seed (default: %(default)s; the CI test runs "
                         "derandomized, so the bench tries other inputs)")
    ap.add_argument("--output", default=None, help="result file (default: bench/results/fuzz.json)")
    args = ap.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import common as C

    timer = C.Timer()
    results = []
    for name in args.target or list(TARGETS):
        examples = max(1, args.examples // 10) if name == "predict_cli" else args.examples
        C.say(f"fuzz: {name}: {examples} inputs ...")
        res = fuzz(name, examples, args.seed)
        results.append(res)
        C.say(f"fuzz: {name}: {res['inputs_tried']} tried, {res['failures']} failures in {res['seconds']} s")
        for s in res["failure_samples"]:
            C.say(f"  {s['error']}\n    input: {s['input'][:300]}")
    tried = sum(r["inputs_tried"] for r in results)
    failed = sum(r["failures"] for r in results)
    figures = [C.figure(f"{r['target']}.inputs_tried", "inputs tried", r["inputs_tried"], model=r["target"],
                        fmt="{:.0f}") for r in results]
    figures += [C.figure(f"{r['target']}.failures", "failures found", r["failures"], model=r["target"], fmt="{:.0f}")
                for r in results]
    figures += [C.figure("total.inputs_tried", "inputs tried", tried, model="all targets", fmt="{:.0f}",
                         headline=True),
                C.figure("total.failures", "failures found", failed, model="all targets", fmt="{:.0f}",
                         headline=True)]
    C.write_result("fuzz", title="Fuzzing the readers and the model loader",
                   description="hypothesis-generated hostile inputs per target (see bench/fuzz.py); a failure is an "
                               "uncaught exception, an exit code other than documented, counts that do not add up, "
                               "or a read blocked for more than 30 s",
                   params={"examples_per_target": args.examples, "seed": args.seed,
                           "targets": [r["target"] for r in results]},
                   data={"inputs_tried": tried, "failures": failed}, figures=figures,
                   details={"targets": results}, timer=timer, output=args.output)
    C.say(f"fuzz: {tried} inputs tried, {failed} failures")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
