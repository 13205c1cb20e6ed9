"""``--columns`` on ``newssift predict`` and ``newssift eval``: an input table with other column names, mapped as
``data.columns`` maps the corpus (the same reader and the same checks)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import make_corpus, run_cli, train_tiny_tfidf

from newssift.cli import main
from newssift.config import column_mapping_problem


@pytest.fixture(scope="module")
def setup(tmp_path_factory) -> tuple[Path, Path, list[dict]]:
    root = tmp_path_factory.mktemp("columns")
    models = train_tiny_tfidf(root / "models")
    rows = make_corpus(12, seed=21)
    pd.DataFrame({"key": [r["id"] for r in rows], "body": [r["text"] for r in rows],
                  "category": [r["topic"] for r in rows],
                  "labels": [r["line_labels"] for r in rows]}).to_parquet(root / "pages.parquet")
    return models, root / "pages.parquet", rows


def _main(capsys, *args) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_predict_and_eval_read_a_table_with_other_column_names(setup, capsys, tmp_path):
    models, pages, rows = setup
    code, out, err = _main(capsys, "predict", "-q", "--models", str(models), "--input", str(pages),
                           "--columns", "text=body,id=key")
    assert code == 0, err
    preds = [json.loads(line) for line in out.splitlines()]
    assert [p["id"] for p in preds] == [r["id"] for r in rows]
    assert all(p["topic"] in ("business", "science", "sport") for p in preds)
    # repeated --columns add up; eval scores both tasks from the mapped label columns
    code, out, err = _main(capsys, "eval", "-q", "--models", str(models), "--input", str(pages), "--columns",
                           "text=body", "--columns", "topic=category", "--columns", "line_labels=labels",
                           "--json", str(tmp_path / "m.json"))
    assert code == 0, err
    metrics = json.loads((tmp_path / "m.json").read_text())
    assert metrics["topic"] is not None and metrics["boilerplate"] is not None


@pytest.mark.parametrize(("spec", "message"), [
    ("text", "--columns: expected FIELD=COLUMN (e.g. text=body), got 'text'"),
    ("text=body,", "--columns: expected FIELD=COLUMN (e.g. text=body), got ''"),
    ("body=text", "--columns: columns: 'body' is not a corpus field; map one of id, text, topic"),
    ("text=body,title=body", "--columns: columns: column 'body' is mapped to more than one field"),
    ("text=body,text=x", "--columns: field 'text' is mapped twice ('body' and 'x')"),
    ("text=nope", "--columns text=nope: no column 'nope'; the columns are ['key', 'body', 'category', 'labels']"),
    ("id=key", "no 'text' column; map the column that holds the article text with --columns text=<column>"),
])
def test_a_bad_column_mapping_is_one_line_and_exit_2(setup, capsys, spec, message):
    models, pages, _ = setup
    for cmd in ("predict", "eval"):
        code, out, err = _main(capsys, cmd, "-q", "--models", str(models), "--input", str(pages), "--columns", spec)
        assert code == 2 and out == "", err
        assert err.count("\n") == 1 and err.startswith("newssift: error: ") and message in err, err


def test_columns_need_a_table_input(setup, tmp_path):
    models, _, rows = setup
    (tmp_path / "c.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows[:2]))
    proc = run_cli("predict", "--models", str(models), "--input", str(tmp_path / "c.jsonl"), "--columns", "text=x")
    assert proc.returncode == 2 and proc.err.count("\n") == 1
    assert "--columns is for CSV, Parquet and datasets corpora; a jsonl corpus uses the field names" in proc.err
    (tmp_path / "a.txt").write_text(rows[0]["text"])
    proc = run_cli("predict", str(tmp_path / "a.txt"), "--models", str(models), "--columns", "text=x")
    assert proc.returncode == 2 and "--columns maps the columns of an --input table" in proc.err


def test_params_and_option_share_one_check():
    from newssift.config import DataParams

    assert column_mapping_problem({"text": "body"}) is None
    problem = column_mapping_problem({"txt": "body"})
    with pytest.raises(Exception) as exc:
        DataParams(columns={"txt": "body"})
    assert problem[1] in str(exc.value)
