"""Trust: nothing unsafe or unverified is loaded. Tampered files fail their checksums (naming the file), files the
manifest does not list are refused, a model of the wrong task or family is refused, a TF-IDF model file holding
other arrays than its pipeline needs (extra, missing, of the wrong shape or type, CSR indices out of range) or a
manifest with other parameters than its estimator's is refused, and loading never unpickles anything (TF-IDF and
transformer: safetensors), checked with pickle and torch.load patched to fail and an audit hook on pickle's class
lookups.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import make_corpus, rewrite_manifest

from newssift.artifacts import model_dir_writer, read_manifest
from newssift.errors import ModelLoadError
from newssift.inference import load_pipeline
from newssift.models.tfidf import TfidfBoilerplateClassifier, TfidfTopicClassifier

# --------------------------------------------------------------------------------------------------------------
# "nothing is unpickled": an audit hook sees every class an unpickler resolves (C and Python pickle alike)
# --------------------------------------------------------------------------------------------------------------

_AUDIT = {"armed": False, "events": []}


def _audit_hook(event, args):
    if _AUDIT["armed"] and event == "pickle.find_class":
        _AUDIT["events"].append(args)


sys.addaudithook(_audit_hook)  # hooks cannot be removed; this one only records while a test arms it


def _refuse(name):
    def refuse(*args, **kwargs):
        raise AssertionError(f"{name} was called while loading a model")
    return refuse


@pytest.fixture
def no_unpickling(monkeypatch):
    """pickle.load/loads/Unpickler (and torch.load, if torch is imported) raise; any class lookup by an unpickler
    that slips through is recorded and fails the test."""
    import pickle

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, _refuse(f"pickle.{name}"))
    if "torch" in sys.modules:
        import torch

        monkeypatch.setattr(torch, "load", _refuse("torch.load"))
    real_np_load = np.load

    def np_load(*args, **kwargs):
        assert not kwargs.get("allow_pickle", False), "numpy.load with allow_pickle=True"
        return real_np_load(*args, **kwargs)

    monkeypatch.setattr(np, "load", np_load)
    _AUDIT["events"].clear()
    _AUDIT["armed"] = True
    yield
    _AUDIT["armed"] = False
    assert _AUDIT["events"] == [], f"an unpickler resolved classes: {_AUDIT['events'][:5]}"


def test_the_guard_sees_unpickling_that_bypasses_the_patches():
    import _pickle
    import pickle

    data = pickle.dumps(Path("some/where"))
    _AUDIT["events"].clear()
    _AUDIT["armed"] = True
    try:
        _pickle.loads(data)  # the C unpickler, not the patched pickle.loads
    finally:
        _AUDIT["armed"] = False
    assert _AUDIT["events"] and _AUDIT["events"][0][0] == "pathlib"
    _AUDIT["events"].clear()


# --------------------------------------------------------------------------------------------------------------
# TF-IDF
# --------------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tfidf_models(tmp_path_factory) -> Path:
    rows = make_corpus(36, seed=17)
    docs = [r["text"].split("\n") for r in rows]
    labels = [r["line_labels"] for r in rows]
    root = tmp_path_factory.mktemp("trust") / "models"
    bp = TfidfBoilerplateClassifier(n_features=2048)
    bp.fit(docs[:27], labels[:27], docs[27:], labels[27:])
    bp.save(root / "tfidf" / "boilerplate")
    TfidfTopicClassifier(n_features=2048).fit(
        [r["text"] for r in rows], [r["topic"] for r in rows]).save(root / "tfidf" / "topic")
    return root


@pytest.fixture
def models_copy(tfidf_models, tmp_path) -> Path:
    dest = tmp_path / "models"
    shutil.copytree(tfidf_models, dest)
    return dest


def _flip_byte(path: Path, where: float = 0.5) -> None:
    data = bytearray(path.read_bytes())
    data[int(len(data) * where)] ^= 0x01
    path.write_bytes(bytes(data))


def test_tfidf_pipeline_loads_and_predicts_without_unpickling(tfidf_models, no_unpickling):
    pipe = load_pipeline(tfidf_models, model="tfidf")
    art = make_corpus(3, seed=99)[2]
    result = pipe.predict(art["text"])
    assert [int(ln.boilerplate) for ln in result.lines] == art["line_labels"]


@pytest.mark.parametrize("task", ["boilerplate", "topic"])
@pytest.mark.parametrize("where", [0.0, 0.5, 0.999])
def test_tfidf_flipped_byte_fails_its_checksum_naming_the_file(models_copy, task, where):
    target = models_copy / "tfidf" / task / "model.safetensors"
    _flip_byte(target, where)
    with pytest.raises(ModelLoadError) as exc:
        load_pipeline(models_copy, model="tfidf")
    assert str(exc.value).startswith(f"{target}: checksum mismatch")


def test_files_not_in_the_manifest_are_refused(models_copy):
    folder = models_copy / "tfidf" / "topic"
    (folder / "extra.safetensors").write_bytes((folder / "model.safetensors").read_bytes())
    with pytest.raises(ModelLoadError, match=r"holds files that training did not write \(extra.safetensors\)"):
        TfidfTopicClassifier.load(folder)
    (folder / "extra.safetensors").unlink()
    manifest = json.loads((folder / "manifest.json").read_text())
    for bad in ("../boilerplate/model.safetensors", "/etc/hostname", "manifest.json"):
        rewrite_manifest(folder, {**manifest, "files": {bad: "0" * 64}})  # a crafted manifest, its checksum redone
        with pytest.raises(ModelLoadError, match="bad file entry"):
            TfidfTopicClassifier.load(folder)


def test_wrong_task_and_wrong_family_folders_are_refused(models_copy):
    tfidf = models_copy / "tfidf"
    with pytest.raises(ModelLoadError, match=r"trained for task 'topic', expected 'boilerplate'"):
        TfidfBoilerplateClassifier.load(tfidf / "topic")
    with pytest.raises(ModelLoadError, match=r"trained for task 'boilerplate', expected 'topic'"):
        TfidfTopicClassifier.load(tfidf / "boilerplate")
    # a family folder passed as the transformer family, and a TF-IDF folder where the transformer's should be
    shutil.copytree(tfidf, models_copy / "transformer")
    with pytest.raises(ModelLoadError, match=r"this is a 'tfidf' model, expected 'transformer'"):
        load_pipeline(models_copy, model="transformer")


def _rewrite(folder: Path, arrays: dict | None = None, raw: bytes | None = None, **manifest_changes) -> None:
    """Rewrite a TF-IDF model folder through model_dir_writer (so every checksum matches) with other arrays, other
    file bytes or other manifest entries: what a crafted model folder can look like."""
    from safetensors.numpy import load_file, save

    manifest = json.loads((folder / "manifest.json").read_text())
    if raw is None:
        raw = save(arrays if arrays is not None else load_file(str(folder / "model.safetensors")))
    manifest = {k: v for k, v in {**manifest, **manifest_changes}.items() if k != "files"}
    shutil.rmtree(folder)
    with model_dir_writer(folder, manifest) as tmp:
        (tmp / "model.safetensors").write_bytes(raw)


def test_a_pickle_named_model_safetensors_is_never_unpickled(models_copy, no_unpickling):
    import pickle

    folder = models_copy / "tfidf" / "topic"
    _rewrite(folder, raw=pickle.dumps({"clf": os.system}))  # dumps is fine; loading is what must never happen
    with pytest.raises(ModelLoadError, match="not a readable safetensors model file"):
        TfidfTopicClassifier.load(folder)


def test_arrays_other_than_the_pipelines_are_refused(models_copy, no_unpickling):
    from safetensors.numpy import load_file

    folder = models_copy / "tfidf" / "boilerplate"
    arrays = load_file(str(folder / "model.safetensors"))
    _rewrite(folder, {**arrays, "payload": np.frombuffer(b"anything at all", dtype=np.uint8)})
    with pytest.raises(ModelLoadError, match=r"unexpected arrays \['payload'\]"):
        TfidfBoilerplateClassifier.load(folder)
    _rewrite(folder, {k: v for k, v in arrays.items() if k != "clf.intercept_"})
    with pytest.raises(ModelLoadError, match=r"missing arrays \['clf.intercept_'\]"):
        TfidfBoilerplateClassifier.load(folder)


@pytest.mark.parametrize("change", ["idf_shape", "coef_shape", "index_out_of_range", "ints_as_idf"])
def test_arrays_of_the_wrong_shape_or_type_are_refused(models_copy, change, no_unpickling):
    from safetensors.numpy import load_file

    folder = models_copy / "tfidf" / "topic"
    arrays = load_file(str(folder / "model.safetensors"))
    if change == "idf_shape":
        arrays["features.words.tfidf.idf_"] = arrays["features.words.tfidf.idf_"][:-1].copy()
        match = "features.words.tfidf.idf_ is float32\\[2047\\], expected floats of shape \\[2048\\]"
    elif change == "coef_shape":
        arrays["clf.coef_.shape"] = arrays["clf.coef_.shape"] + 1
        match = "clf.coef_ has shape"
    elif change == "index_out_of_range":
        arrays["clf.coef_.indices"] = arrays["clf.coef_.indices"].copy()
        arrays["clf.coef_.indices"][-1] = 10**9
        match = "clf.coef_: indices must be < 2048"  # one n-gram block (words) of 2048
    else:
        arrays["features.words.tfidf.idf_"] = arrays["features.words.tfidf.idf_"].astype(np.int64)
        match = "features.words.tfidf.idf_ is int64"
    _rewrite(folder, arrays)
    with pytest.raises(ModelLoadError, match=match):
        TfidfTopicClassifier.load(folder)


@pytest.mark.parametrize("change", ["object_value", "not_a_mapping", "out_of_range", "wrong_type"])
def test_manifest_params_that_are_not_valid_params_are_refused(models_copy, change, no_unpickling):
    folder = models_copy / "tfidf" / "topic"
    params = json.loads((folder / "manifest.json").read_text())["params"]
    bad = {"object_value": {**params, "alpha": {"__class__": "os.system"}},
           "not_a_mapping": "not a mapping",
           "out_of_range": {**params, "n_features": -1},
           "wrong_type": {**params, "word_ngram_max": "2"}}[change]
    _rewrite(folder, params=bad)
    with pytest.raises(ModelLoadError, match="params"):
        TfidfTopicClassifier.load(folder)


def test_manifest_params_of_another_version_load_like_params_yaml(models_copy, no_unpickling):
    """Read back by config.params_from_manifest, as every model is: a key this version does not know is ignored
    (it never reaches the estimator), a key it misses takes its default."""
    folder = models_copy / "tfidf" / "topic"
    params = json.loads((folder / "manifest.json").read_text())["params"]
    trained = TfidfTopicClassifier.load(folder)
    _rewrite(folder, params={**{k: v for k, v in params.items() if k != "max_iter"}, "preprocessor": "os.system"})
    model = TfidfTopicClassifier.load(folder)
    assert "preprocessor" not in model.get_params() and model.max_iter == TfidfTopicClassifier().max_iter
    texts = ["The council voted on the harbour wall.", "A late goal won the cup final."]
    np.testing.assert_array_equal(model.predict_proba(texts), trained.predict_proba(texts))


def test_a_model_of_the_older_skops_format_asks_for_retraining(tmp_path):
    with model_dir_writer(tmp_path / "old", {"family": "tfidf", "task": "topic", "labels": ["a", "b"],
                                             "params": {}}) as t:
        (t / "model.skops").write_bytes(b"PK an old skops zip")
    with pytest.raises(ModelLoadError, match=r"older format \(model.skops\); retrain it"):
        TfidfTopicClassifier.load(tmp_path / "old")


# --------------------------------------------------------------------------------------------------------------
# transformer (tiny random BERT, no training: the models are saved straight from the base)
# --------------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def transformer_models(tmp_path_factory) -> Path:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from conftest import build_tiny_bert
    from conftest import make_transformer_params as make_params

    from newssift.models.transformer import (
        TransformerBoilerplateClassifier,
        TransformerTopicClassifier,
    )

    tmp = tmp_path_factory.mktemp("trust-transformer")
    base = build_tiny_bert(tmp / "tiny-bert")
    root = tmp / "models"
    topic = TransformerTopicClassifier(make_params(base))
    topic.classes_ = ["business", "science", "sport"]
    topic.model = topic._load_base(num_labels=3, id2label=dict(enumerate(topic.classes_)),
                                   label2id={c: k for k, c in enumerate(topic.classes_)})
    topic.save(root / "transformer" / "topic")
    bp = TransformerBoilerplateClassifier(make_params(base))
    bp.model = bp._build(bp._load_base())
    bp.threshold_ = 0.99  # untrained: keep the lines, so that the topic model has text to read
    bp.save(root / "transformer" / "boilerplate")
    return root


def test_transformer_pipeline_loads_and_predicts_without_unpickling(transformer_models, no_unpickling):
    folder = transformer_models / "transformer"
    assert any(p.suffix == ".safetensors" for p in (folder / "topic").iterdir())
    assert not any(p.suffix in (".bin", ".pt", ".pth", ".pkl") for p in folder.rglob("*"))
    pipe = load_pipeline(transformer_models, model="transformer", device="cpu")
    result = pipe.predict("Share this article\nThe striker scored in the final match of the season.")
    assert len(result.lines) == 2 and result.topic in {"business", "science", "sport"}
    int8 = load_pipeline(transformer_models, model="transformer", device="cpu", quantize="int8")
    assert int8.boilerplate_model.quantized and int8.topic_model.quantized
    assert len(int8.predict("Share this article\nThe striker scored.").lines) == 2


def test_transformer_cli_quantize_option(transformer_models, tmp_path):
    from conftest import run_cli

    (tmp_path / "a.txt").write_text("Share this article\nThe striker scored in the final.", encoding="utf-8")
    for mode in ("int8", "none"):
        proc = run_cli("predict", "--models", str(transformer_models), "--model", "transformer", "--device", "cpu",
                       "--quantize", mode, str(tmp_path / "a.txt"))
        assert proc.returncode == 0, proc.stderr
        assert len(json.loads(proc.stdout)["lines"]) == 2
    proc = run_cli("predict", "--models", str(transformer_models), "--model", "transformer", "--quantize", "int4",
                   str(tmp_path / "a.txt"))
    assert proc.returncode == 2 and b"int4" in proc.stderr


@pytest.mark.parametrize("name", ["model.safetensors", "config.json", "tokenizer_config.json"])
def test_transformer_tampered_file_fails_its_checksum_naming_the_file(transformer_models, tmp_path, name):
    from newssift.models.transformer import TransformerTopicClassifier

    folder = tmp_path / "topic"
    shutil.copytree(transformer_models / "transformer" / "topic", folder)
    target = folder / name
    if name == "model.safetensors":
        _flip_byte(target, 0.7)  # inside the weights: safetensors itself would load it without complaint
    else:
        target.write_text(target.read_text().replace("}", ', "trust_remote_code": true}', 1))
    with pytest.raises(ModelLoadError) as exc:
        TransformerTopicClassifier.load(folder, device="cpu")
    assert str(exc.value).startswith(f"{target}: checksum mismatch")


def test_transformer_unlisted_pickle_weights_and_wrong_task_are_refused(transformer_models, tmp_path):
    from newssift.models.transformer import (
        TransformerBoilerplateClassifier,
        TransformerTopicClassifier,
    )

    folder = tmp_path / "topic"
    shutil.copytree(transformer_models / "transformer" / "topic", folder)
    (folder / "pytorch_model.bin").write_bytes(b"a pickle that from_pretrained could pick up")
    with pytest.raises(ModelLoadError, match=r"did not write \(pytorch_model.bin\)"):
        TransformerTopicClassifier.load(folder, device="cpu")
    with pytest.raises(ModelLoadError, match="trained for task 'topic', expected 'boilerplate'"):
        TransformerBoilerplateClassifier.load(transformer_models / "transformer" / "topic", device="cpu")
    with pytest.raises(ModelLoadError, match="expected 'transformer'"):
        TransformerTopicClassifier.load(_tfidf_like(tmp_path), device="cpu")
    read_manifest(transformer_models / "transformer" / "topic")  # the originals are untouched


def _tfidf_like(tmp_path: Path) -> Path:
    with model_dir_writer(tmp_path / "tfidf-topic", {"family": "tfidf", "task": "topic"}) as t:
        (t / "model.safetensors").write_bytes(b"x")
    return tmp_path / "tfidf-topic"


def test_mixed_pipeline_tfidf_split_with_transformer_topics(tfidf_models, transformer_models, tmp_path):
    """load_pipeline(model="transformer", boilerplate="tfidf"): the lines are the TF-IDF pipeline's, the topic is
    the transformer's; one family's folder cannot serve both."""
    root = tmp_path / "models"
    shutil.copytree(tfidf_models / "tfidf", root / "tfidf")
    shutil.copytree(transformer_models / "transformer", root / "transformer")
    text = make_corpus(1, seed=99)[0]["text"]
    mixed = load_pipeline(root, model="transformer", boilerplate="tfidf", device="cpu")
    assert (mixed.family, mixed.boilerplate_family) == ("transformer", "tfidf")
    got, tf, tr = (p.predict(text) for p in (mixed, load_pipeline(root, model="tfidf"),
                                              load_pipeline(root, model="transformer", device="cpu")))
    assert [(ln.boilerplate, ln.probability) for ln in got.lines] == [(ln.boilerplate, ln.probability)
                                                                       for ln in tf.lines]
    assert got.editorial == tf.editorial and got.editorial
    assert set(got.topic_probabilities) == {"business", "science", "sport"} == set(tr.topic_probabilities)
    with pytest.raises(ModelLoadError, match="needs the folder that holds tfidf/ and transformer/"):
        load_pipeline(root / "transformer", model="transformer", boilerplate="tfidf")
    with pytest.raises(ModelLoadError, match="unknown model family 'svm'"):
        load_pipeline(root, model="transformer", boilerplate="svm")
    # the command line: --boilerplate-model
    from conftest import run_cli

    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    proc = run_cli("predict", "--models", str(root), "--model", "transformer", "--boilerplate-model", "tfidf",
                   "--device", "cpu", str(tmp_path / "a.txt"))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert [ln["boilerplate"] for ln in out["lines"]] == [ln.boilerplate for ln in tf.lines]
    assert set(out["topic_probabilities"]) == {"business", "science", "sport"}


def test_topic_models_run_behind_the_split_they_were_trained_on(tfidf_models, transformer_models, tmp_path):
    """The topic model's manifest records the split that cut its training text (text_split); load_pipeline and
    the command line use that split unless told otherwise, and a family's own folder uses its own split."""
    from newssift.models.transformer import TransformerTopicClassifier

    root = tmp_path / "models"
    shutil.copytree(tfidf_models / "tfidf", root / "tfidf")
    shutil.copytree(transformer_models / "transformer", root / "transformer")
    assert load_pipeline(root, model="transformer", device="cpu").boilerplate_family == "transformer"  # not recorded
    topic = TransformerTopicClassifier.load(root / "transformer" / "topic", device="cpu")
    topic.save(root / "transformer" / "topic", {"text_split": "tfidf"})
    assert read_manifest(root / "transformer" / "topic")["text_split"] == "tfidf"
    assert load_pipeline(root, model="transformer", device="cpu").boilerplate_family == "tfidf"
    assert load_pipeline(root, model="transformer", boilerplate="transformer",
                         device="cpu").boilerplate_family == "transformer"
    assert load_pipeline(root / "transformer", model="transformer", device="cpu").boilerplate_family == "transformer"


# --------------------------------------------------------------------------------------------------------------
# the manifest itself is covered by the integrity check; every load problem is one ModelLoadError line naming the
# file and the field
# --------------------------------------------------------------------------------------------------------------

def _edit(text: str, kind: str) -> str:
    if kind == "threshold-digit":  # one digit of the tuned threshold: would silently change every prediction
        i = text.index('"threshold": 0.') + len('"threshold": 0.')
        return text[:i] + ("1" if text[i] != "1" else "2") + text[i + 1:]
    if kind == "smoothing-transition":
        i = text.index('"trans": [') + text[text.index('"trans": ['):].index("0.") + 2
        return text[:i] + ("9" if text[i] != "9" else "8") + text[i + 1:]
    if kind == "a-space":
        return text.replace('"seed": 42', '"seed":  42')
    if kind == "field-removed":
        return text.replace('  "seed": 42,\n', "")
    if kind == "checksum-changed":
        i = text.index('"manifest_sha256": "') + len('"manifest_sha256": "')
        return text[:i] + ("0" if text[i] != "0" else "1") + text[i + 1:]
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["threshold-digit", "smoothing-transition", "a-space", "field-removed",
                                  "checksum-changed"])
def test_any_edit_of_the_manifest_is_refused(models_copy, kind):
    mpath = models_copy / "tfidf" / "boilerplate" / "manifest.json"
    mpath.write_text(_edit(mpath.read_text(encoding="ascii"), kind), encoding="ascii")
    with pytest.raises(ModelLoadError) as exc:
        load_pipeline(models_copy, model="tfidf")
    assert str(exc.value) == (f"{mpath}: checksum mismatch, the manifest differs from what training wrote (edited "
                              "or corrupted); retrain or restore the model")


def test_a_manifest_without_its_checksum_is_refused_by_the_cli_in_one_line(models_copy, tmp_path):
    from conftest import run_cli

    mpath = models_copy / "tfidf" / "topic" / "manifest.json"
    manifest = json.loads(mpath.read_text())
    del manifest["manifest_sha256"]  # a model folder of an older newssift
    mpath.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    (tmp_path / "a.txt").write_text(make_corpus(1)[0]["text"], encoding="utf-8")
    proc = run_cli("predict", "--models", str(models_copy), str(tmp_path / "a.txt"))
    assert proc.returncode == 2
    assert proc.err == (f"newssift: error: {mpath}: field 'manifest_sha256': missing, so the manifest is not "
                        "covered by a checksum (written by an older newssift, or edited); retrain the model\n")


@pytest.mark.parametrize("task, change, message", [
    ("boilerplate", {"threshold": "0.5"}, "field 'threshold': expected a number from 0 to 1, got '0.5'"),
    ("boilerplate", {"threshold": 1.5}, "field 'threshold': expected a number from 0 to 1, got 1.5"),
    ("boilerplate", {"threshold": None}, "field 'threshold': expected a number from 0 to 1, got None"),
    ("boilerplate", {"threshold": ...}, "field 'threshold': missing"),
    ("boilerplate", {"hmm": ...}, "field 'hmm': missing"),
    ("boilerplate", {"hmm": {"start": [0.5, 0.5], "trans": [[1, 0], [0, 1]]}}, "field 'hmm.prior': missing"),
    ("boilerplate", {"hmm": {"start": [0.5, 0.5], "trans": [[1, 0, 0]], "prior": [0.5, 0.5]}},
     "field 'hmm': 'trans': expected 2 x 2 probabilities"),
    ("boilerplate", {"hmm": {"start": [0.5, 0.5], "trans": [[1, 0], [0, 1]], "prior": [1.0, 0.0]}},
     "field 'hmm': 'prior': expected probabilities above 0"),
    ("boilerplate", {"params": ...}, "field 'params': missing"),
    ("boilerplate", {"params": [1, 2]}, "field 'params': expected an object, got [1, 2]"),
    ("topic", {"labels": "business"}, "field 'labels': expected a list of distinct, non-empty strings"),
    ("topic", {"labels": ...}, "field 'labels': missing"),
    ("topic", {"seed": 4.5}, "field 'seed': expected a whole number, got 4.5"),
    ("topic", {"format_version": "1"}, "model format version '1' is not supported"),
    ("topic", {"params": {"class_weight": "heavy"}}, "params.class_weight"),
])
def test_a_missing_or_mistyped_field_is_one_load_error_naming_file_and_field(models_copy, task, change, message):
    """A manifest whose checksum was redone (a buggy writer, a forger): its fields are checked all the same."""
    folder = models_copy / "tfidf" / task
    manifest = json.loads((folder / "manifest.json").read_text())
    for key, value in change.items():
        if value is ...:
            del manifest[key]
        else:
            manifest[key] = value
    rewrite_manifest(folder, manifest)
    with pytest.raises(ModelLoadError) as exc:
        load_pipeline(models_copy, model="tfidf")
    text = str(exc.value)
    assert text.startswith(f"{folder / 'manifest.json'}: ") and message in text and "\n" not in text, text


@pytest.mark.parametrize("what", ["fifo", "folder", "broken-link", "not-utf8", "huge-integer", "not-json"])
def test_a_manifest_that_is_no_manifest_is_a_load_error_and_never_blocks(models_copy, what):
    mpath = models_copy / "tfidf" / "topic" / "manifest.json"
    mpath.unlink()
    if what == "fifo":
        os.mkfifo(mpath)  # opened and waited on, it would hang the command for ever
    elif what == "folder":
        mpath.mkdir()
    elif what == "broken-link":
        mpath.symlink_to(mpath.parent / "nowhere.json")
    elif what == "not-utf8":
        mpath.write_bytes(b'{"format": "newssift-model", "x": "\xff"}')
    elif what == "huge-integer":
        mpath.write_text('{"format": "newssift-model", "format_version": ' + "9" * 5000 + "}")
    else:
        mpath.write_text('{"format": "newssift-model", ')
    with pytest.raises(ModelLoadError) as exc:
        TfidfTopicClassifier.load(mpath.parent)
    text = str(exc.value)
    assert text.startswith(str(mpath)) and "\n" not in text, text
    expected = {"fifo": "not a regular file: a named pipe (FIFO)", "folder": "not a regular file: a folder",
                "broken-link": "not a regular file: a broken symbolic link", "not-utf8": "not UTF-8 at byte",
                "huge-integer": "unreadable manifest (ValueError", "not-json": "not valid JSON"}[what]
    assert expected in text, text


def test_transformer_manifest_fields_are_checked_too(transformer_models, tmp_path):
    from newssift.models.registry import load_boilerplate_model

    folder = tmp_path / "boilerplate"
    shutil.copytree(transformer_models / "transformer" / "boilerplate", folder)
    mpath = folder / "manifest.json"
    mpath.write_text(mpath.read_text().replace('"threshold": 0.99', '"threshold": 0.98'))
    with pytest.raises(ModelLoadError, match="checksum mismatch, the manifest differs"):
        load_boilerplate_model("transformer", folder, device="cpu")
    manifest = json.loads(mpath.read_text())
    rewrite_manifest(folder, {**manifest, "smoothing": "strong"})
    with pytest.raises(ModelLoadError, match=r"manifest.json: field 'smoothing': expected a number >= 0"):
        load_boilerplate_model("transformer", folder, device="cpu")
    del manifest["threshold"]
    rewrite_manifest(folder, manifest)
    with pytest.raises(ModelLoadError, match=r"manifest.json: field 'threshold': missing"):
        load_boilerplate_model("transformer", folder, device="cpu")
