"""Faults: a training killed with SIGKILL (mid-fit or mid-write) never leaves a half-written model. What it can
leave is a hidden temporary sibling of the model folder, which never looks like a model, is ignored by DVC
(.dvcignore) and is removed by the next write; a rerun succeeds and its model loads.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, make_corpus, write_rows

from newssift.artifacts import model_dir_writer, read_manifest, remove_stale_temp_dirs
from newssift.config import params_from_dict
from newssift.errors import ModelLoadError
from newssift.models.tfidf import TfidfBoilerplateClassifier
from newssift.stages.train_tfidf import run as run_train_tfidf

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and pid checks are POSIX")


def _start(code: str, *args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _wait_for(proc: subprocess.Popen, word: str, timeout: float = 120) -> None:
    """Read the child's stdout until ``word`` (it prints it just before the moment to kill it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if word in line:
            return
        if not line and proc.poll() is not None:
            raise AssertionError(f"child exited ({proc.returncode}) before {word!r}: {proc.stderr.read()}")
    raise AssertionError(f"child did not print {word!r} in {timeout}s")


def _kill(proc: subprocess.Popen) -> None:
    assert proc.poll() is None, "the child finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


def _visible(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) if folder.exists() else []


KILLED_WRITER = """
    import sys, time
    from newssift.artifacts import model_dir_writer
    with model_dir_writer(sys.argv[1], {"family": "tfidf", "task": "boilerplate"}) as tmp:
        (tmp / "model.safetensors").write_bytes(b"the first half of a model")
        print("writing", flush=True)
        time.sleep(300)
"""


def _small_boilerplate_model() -> TfidfBoilerplateClassifier:
    rows = make_corpus(24, seed=2)
    docs = [r["text"].split("\n") for r in rows]
    labels = [r["line_labels"] for r in rows]
    return TfidfBoilerplateClassifier(n_features=1024).fit(docs[:18], labels[:18], docs[18:], labels[18:])


@pytest.mark.parametrize("previous_model", [False, True])
def test_writer_killed_mid_write_leaves_no_model_and_the_next_write_cleans_up(tmp_path, previous_model):
    final = tmp_path / "models" / "tfidf" / "boilerplate"
    model = _small_boilerplate_model()
    if previous_model:
        model.save(final)
        before = read_manifest(final)
    proc = _start(KILLED_WRITER, str(final), cwd=tmp_path)
    _wait_for(proc, "writing")
    _kill(proc)

    parent = final.parent
    stale = [p for p in parent.iterdir() if p.name.startswith(".")]
    assert [p.name.startswith(f".boilerplate.tmp-{proc.pid}-") for p in stale] == [True]  # hidden, named
    assert not (stale[0] / "manifest.json").exists()  # never looks like a model
    with pytest.raises(ModelLoadError):
        read_manifest(stale[0])
    if previous_model:  # the previous model is untouched and still loads
        assert _visible(parent) == ["boilerplate"] and read_manifest(final) == before
        TfidfBoilerplateClassifier.load(final)
    else:  # no model folder at all, and loading says so clearly
        assert _visible(parent) == []
        with pytest.raises(ModelLoadError, match="model folder not found"):
            TfidfBoilerplateClassifier.load(final)

    model.save(final)  # the rerun
    assert [p.name for p in parent.iterdir()] == ["boilerplate"]  # the stale temp folder is gone
    again = TfidfBoilerplateClassifier.load(final)
    assert again.threshold_ == model.threshold_


def test_remove_stale_temp_dirs_spares_live_writers_and_other_files(tmp_path):
    final = tmp_path / "topic"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True).stdout.strip()
        names = {
            f".topic.tmp-{sleeper.pid}-abc123": False,  # a writer that is still running
            f".topic.tmp-{dead}-x1y2": True,  # killed
            f".topic.old-{dead}": True,  # killed between its two renames
            ".topic.tmp-k3j_9x0q": True,  # older newssift (no pid in the name)
            f".topic.tmp-{os.getpid()}-mine": False,  # this process's own
            f".boilerplate.tmp-{dead}-x": False,  # another model's
            ".topic.tmpfoo": False,  # not ours
            "topic.tmp-1-x": False,  # not hidden: not ours
        }
        for name in names:
            (tmp_path / name).mkdir()
        (tmp_path / f".topic.tmp-{dead}-file").write_text("a file, not a folder")
        removed = remove_stale_temp_dirs(final)
        assert sorted(p.name for p in removed) == sorted(n for n, gone in names.items() if gone)
        left = {p.name for p in tmp_path.iterdir()}
        assert left == {n for n, gone in names.items() if not gone} | {f".topic.tmp-{dead}-file"}
    finally:
        sleeper.kill()
        sleeper.wait()


def test_model_writer_error_inside_the_block_cleans_up(tmp_path):
    with pytest.raises(KeyboardInterrupt):  # Ctrl-C mid-write is handled like any error
        with model_dir_writer(tmp_path / "m", {"family": "tfidf", "task": "topic"}) as tmp:
            (tmp / "model.safetensors").write_bytes(b"half")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


TRAIN_CHILD = """
    import sys, time
    import sklearn.linear_model
    import newssift.artifacts

    # the real `newssift train` in this process; the hooks only say when it is mid-fit / mid-save and hold it
    # there long enough to be killed at that point, whatever the speed of the machine
    phase = sys.argv[1]
    fit, checksum = sklearn.linear_model.LogisticRegression.fit, newssift.artifacts.sha256_file

    def slow_fit(self, *args, **kwargs):
        print("fitting", flush=True)
        out = fit(self, *args, **kwargs)
        if phase == "fit":
            time.sleep(300)
        return out

    def slow_checksum(*args, **kwargs):  # the model file is written, its checksum and the manifest are not
        print("saving", flush=True)
        time.sleep(300)
        return checksum(*args, **kwargs)

    sklearn.linear_model.LogisticRegression.fit = slow_fit
    if phase == "save":
        newssift.artifacts.sha256_file = slow_checksum
    import newssift.cli
    sys.exit(newssift.cli.main(["train", "--family", "tfidf", "--task", "boilerplate"]))
"""


@pytest.mark.parametrize("phase", ["fit", "save"])
def test_cli_training_killed_then_rerun(tmp_path, monkeypatch, phase):
    """`newssift train --family tfidf --task boilerplate` killed with SIGKILL while it fits / while it saves."""
    rows = make_corpus(120, seed=1)
    write_rows(tmp_path / "data/split/train.parquet", rows[:100])
    write_rows(tmp_path / "data/split/validation.parquet", rows[100:])
    raw = yaml.safe_load((ROOT / "params.yaml").read_text())
    (tmp_path / "params.yaml").write_text(yaml.safe_dump(raw))
    models = tmp_path / "models"

    proc = _start(TRAIN_CHILD, phase, cwd=tmp_path)
    _wait_for(proc, "saving" if phase == "save" else "fitting")
    _kill(proc)
    assert _visible(models / "tfidf") == []  # no model folder, complete or not
    for p in models.rglob("*"):  # anything left is inside a hidden temporary folder, without a manifest
        if p == models / "tfidf":
            continue
        assert p.relative_to(models).parts[1].startswith(f".boilerplate.tmp-{proc.pid}-"), p
        assert p.name != "manifest.json"
    assert bool(list(models.rglob("model.safetensors"))) == (phase == "save")

    monkeypatch.chdir(tmp_path)
    run_train_tfidf(params_from_dict(raw), "boilerplate")  # the rerun
    assert [p.name for p in (models / "tfidf").iterdir()] == ["boilerplate"]  # stale folder removed
    model = TfidfBoilerplateClassifier.load(models / "tfidf" / "boilerplate")
    assert read_manifest(models / "tfidf" / "boilerplate")["train_articles"] == 100
    assert len(model.predict([rows[0]["text"].split("\n")])[0]) == len(rows[0]["line_labels"])


@pytest.mark.slow
def test_transformer_training_killed_mid_fit_then_rerun(tmp_path):
    """A tiny BERT fitted for many epochs, killed mid-fit: no model, no leaked Trainer checkpoints after the
    rerun, and the rerun's model loads."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from conftest import build_tiny_bert

    from newssift.models.transformer import TransformerTopicClassifier

    base = build_tiny_bert(tmp_path / "tiny-bert")
    scratch_parent = tmp_path / "tmp"
    scratch_parent.mkdir()
    child = """
        import os, sys
        sys.path.insert(0, sys.argv[2])
        os.environ["HF_HUB_OFFLINE"] = "1"
        from conftest import make_corpus
        from conftest import make_transformer_params as make_params
        from newssift.models.transformer import TransformerTopicClassifier
        rows = make_corpus(24, seed=3)
        epochs = float(sys.argv[3])
        model = TransformerTopicClassifier(make_params(sys.argv[1], epochs=epochs, batch_size=4))
        texts, topics = [r["text"] for r in rows], [r["topic"] for r in rows]
        print("fitting", flush=True)
        model.fit(texts[:18], topics[:18], texts[18:], topics[18:])
        model.save("models/transformer/topic")
        print("saved", flush=True)
    """
    env = dict(os.environ, TMPDIR=str(scratch_parent), HF_HUB_OFFLINE="1")
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(child), str(base), str(ROOT / "tests"), "500"],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _wait_for(proc, "fitting", timeout=300)
    deadline = time.monotonic() + 120
    while not list(scratch_parent.glob(f"newssift-topic-trainer-{proc.pid}-*/checkpoint-*")):
        assert time.monotonic() < deadline and proc.poll() is None, "no checkpoint written"
        time.sleep(0.2)
    _kill(proc)  # after at least one epoch's checkpoint: the worst case for leftovers
    models = tmp_path / "models"
    assert not (models / "transformer" / "topic").exists()
    assert list(scratch_parent.glob(f"newssift-topic-trainer-{proc.pid}-*"))  # the killed run's checkpoints

    rerun = subprocess.run([sys.executable, "-c", textwrap.dedent(child), str(base), str(ROOT / "tests"), "1"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0 and "saved" in rerun.stdout, rerun.stderr
    assert list(scratch_parent.iterdir()) == []  # stale checkpoints removed, the rerun's own scratch too
    assert [p.name for p in (models / "transformer").iterdir()] == ["topic"]
    loaded = TransformerTopicClassifier.load(models / "transformer" / "topic", device="cpu")
    assert len(loaded.predict(["The striker scored a goal in the final match."])) == 1
    shutil.rmtree(base)
