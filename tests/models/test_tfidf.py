import numpy as np
import pytest

from newssift.config import TfidfBoilerplateParams, TfidfTopicParams, to_dict
from newssift.errors import DataError, ModelLoadError
from newssift.features.lines import (
    doc_features,
    docs_features,
    feature_names,
    line_shape,
    line_shapes,
    normalize_line,
)
from newssift.models.tfidf import TfidfBoilerplateClassifier, TfidfTopicClassifier


def _docs(rows):
    return [r["text"].split("\n") for r in rows], [r["line_labels"] for r in rows]


def test_line_features_shape_and_context():
    lines = ["Photo by A/Getty Images", "", "A sentence that ends properly, as editorial text does.", "Share"]
    x = doc_features(lines, context=2)
    assert x.shape == (4, len(feature_names(2)))
    names = feature_names(2)
    assert x[1, names.index("blank")] == 1.0
    assert x[2, names.index("ends_sentence")] == 1.0
    assert x[0, names.index("ctx-1_exists")] == 0.0 and x[1, names.index("ctx-1_exists")] == 1.0
    assert doc_features([], 2).shape == (0, len(names))


def test_features_of_a_batch_of_articles_are_each_articles_own():
    """docs_features over articles of different lengths (empty ones too) = each article's doc_features stacked:
    positions and neighbours never leak from one article into the next."""
    docs = [["Menu", "", "A sentence.", "Share this"], [], ["Only line."], ["x" * 80, "Short", "", "End.", "y", "z"]]
    for context in (0, 2):
        got = docs_features(docs, context)
        want = np.vstack([doc_features(d, context) for d in docs])
        np.testing.assert_array_equal(got, want)
    names = feature_names(2)
    got = docs_features(docs, 2)
    assert got[4, names.index("rel_position")] == 0.0 and got[4, names.index("ctx-1_exists")] == 0.0
    assert got[3, names.index("ctx+1_exists")] == 0.0  # the last line of the first article
    assert got[5, names.index("rel_length")] == 1.0  # the longest line of its own article
    assert docs_features([], 2).shape == (0, len(names))


NASTY_LINES = [
    "", "   ", "Photo by A. Lee/Getty Images", "Published: Nov 21, 2025 at 10:45", "Updated Monday",
    "© 2025 Example Media. All Rights Reserved.", "Follow @newsdesk or write to desk@example.com", "WWW.EXAMPLE.ORG",
    "http://localhost", "• Bullet point", "1) first", "Home | World | Sport", "He said: “We will.”",
    "𝐁𝐨𝐥𝐝 maths letters and 🙂 emoji", "İstanbul ſtrange caſe", "lone \ud800 surrogate", "tab\tinside",
    "THE END.", "Ends with colon:", "5 minutes ago", "12/05/2024", "Ünïcödé words Straße", "a\x00b",
]


@pytest.mark.parametrize("extra", [[], ["with a NUL \x00 separator"]])
def test_batch_line_shapes_equal_the_reference(tiny_corpus, extra):
    lines = [ln for r in tiny_corpus[:10] for ln in r["text"].split("\n")] + NASTY_LINES + extra
    ref = np.array([line_shape(ln) for ln in lines])
    assert np.allclose(line_shapes(lines), ref, rtol=0, atol=1e-12)
    assert line_shapes([]).shape == (0, ref.shape[1])


def test_topic_model_fits_predicts_saves_and_reloads(tmp_path, tiny_corpus):
    texts = [r["text"] for r in tiny_corpus]
    topics = [r["topic"] for r in tiny_corpus]
    model = TfidfTopicClassifier(n_features=4096).fit(texts[:45], topics[:45])
    assert list(model.classes_) == ["business", "science", "sport"]
    proba = model.predict_proba(texts[45:])
    assert proba.shape == (15, 3) and np.allclose(proba.sum(axis=1), 1)
    assert np.mean(np.array(model.predict(texts[45:])) == np.array(topics[45:])) > 0.8
    model.save(tmp_path / "topic")
    again = TfidfTopicClassifier.load(tmp_path / "topic")
    np.testing.assert_array_equal(again.predict_proba(texts[45:]), proba)
    assert again.get_params() == model.get_params() and list(again.classes_) == list(model.classes_)
    with pytest.raises(ModelLoadError, match="expected 'boilerplate'"):
        TfidfBoilerplateClassifier.load(tmp_path / "topic")


def test_boilerplate_model_learns_and_roundtrips(tmp_path, tiny_corpus):
    docs, labels = _docs(tiny_corpus)
    model = TfidfBoilerplateClassifier(n_features=4096)
    model.fit(docs[:40], labels[:40], docs[40:50], labels[40:50])
    assert 0 < model.threshold_ < 1
    proba = model.predict_proba(docs[50:])
    assert [len(p) for p in proba] == [len(d) for d in docs[50:]]
    pred = np.concatenate(model.predict(docs[50:]))
    gold = np.concatenate(labels[50:])
    assert (pred == gold).mean() > 0.9
    model.save(tmp_path / "bp")
    again = TfidfBoilerplateClassifier.load(tmp_path / "bp")
    assert again.threshold_ == model.threshold_
    for a, b in zip(again.predict_proba(docs[50:]), proba):
        np.testing.assert_array_equal(a, b)
    assert again.get_params() == model.get_params()


def test_tuned_smoothing_is_the_best_strength_on_validation_and_is_saved(tmp_path, tiny_corpus):
    """smoothing: tune picks the grid strength whose tuned threshold scores best on validation (the weakest of
    equal scores) with the shared tuner, the transformer's; the strength goes into the manifest and comes back."""
    from sklearn.metrics import f1_score

    from newssift.models.threshold import SMOOTHING_GRID, tune_threshold

    docs, labels = _docs(tiny_corpus)
    model = TfidfBoilerplateClassifier(n_features=1024, smoothing="tune", C=0.05)
    model.fit(docs[:30], labels[:30], docs[30:45], labels[30:45])
    raw = model._raw_proba(docs[30:45])
    y = np.concatenate([np.asarray(v) for v in labels[30:45]])
    scores = {}
    for s in SMOOTHING_GRID:
        probs = model._smooth(raw, s)
        th = tune_threshold(labels[30:45], probs)
        scores[s] = f1_score(y, (np.concatenate(probs) >= th).astype(int), average="macro")
    assert model.smoothing_ == min(s for s, v in scores.items() if v >= max(scores.values()) - 1e-12)
    assert model.threshold_ == tune_threshold(labels[30:45], model._smooth(raw, model.smoothing_))
    model.save(tmp_path / "bp")
    again = TfidfBoilerplateClassifier.load(tmp_path / "bp")
    assert again.smoothing == "tune" and again.smoothing_ == model.smoothing_
    for a, b in zip(again.predict_proba(docs[45:]), model.predict_proba(docs[45:])):
        np.testing.assert_array_equal(a, b)
    fixed = TfidfBoilerplateClassifier(n_features=1024, smoothing=2.0, threshold=0.5).fit(docs[:30], labels[:30])
    assert (fixed.smoothing_, fixed.threshold_) == (2.0, 0.5)  # nothing to tune


def test_span_decoding_is_chosen_on_validation_saved_and_reloaded(tmp_path, tiny_corpus):
    """span: tune turns article-span decoding on exactly when tune_span says so on the validation articles (true
    and false as given); predict_proba applies it as chosen (span=True/False forces it); the choice goes into the
    manifest and comes back; a manifest from before span decoding loads with it off."""
    import json

    from newssift.artifacts import DIGEST_FIELD, manifest_digest, manifest_text
    from newssift.models.threshold import tune_span

    docs, labels = _docs(tiny_corpus)
    vd, vl, td = docs[30:45], labels[30:45], docs[45:]
    for span in ("tune", True, False):
        model = TfidfBoilerplateClassifier(n_features=1024, span=span, C=0.05).fit(docs[:30], labels[:30], vd, vl)
        want = span if span != "tune" else tune_span(vd, vl, model.predict_proba(vd, span=False), model.threshold_,
                                                      model.span_margin)
        assert model.span_ is want
        for a, b in zip(model.predict_proba(td), model.predict_proba(td, span=want)):
            np.testing.assert_array_equal(a, b)
        folder = tmp_path / f"bp_{span}"
        model.save(folder)
        again = TfidfBoilerplateClassifier.load(folder)
        assert again.span_ is want and again.span == span
        assert json.loads((folder / "manifest.json").read_text())["span"] is want
        for a, b in zip(again.predict_proba(td), model.predict_proba(td)):
            np.testing.assert_array_equal(a, b)
    # decoded and not differ on these articles, so the flag is what decides
    assert any(not np.array_equal(a, b) for a, b in
               zip(model.predict_proba(td, span=True), model.predict_proba(td, span=False)))
    path = tmp_path / "bp_True" / "manifest.json"  # as written before span decoding existed
    manifest = json.loads(path.read_text())
    del manifest["span"], manifest["params"]["span"], manifest["params"]["span_margin"], manifest[DIGEST_FIELD]
    manifest[DIGEST_FIELD] = manifest_digest(manifest)
    path.write_bytes(manifest_text(manifest).encode("ascii"))
    legacy = TfidfBoilerplateClassifier.load(path.parent)
    assert legacy.span_ is False
    for a, b in zip(legacy.predict_proba(td), model.predict_proba(td, span=False)):
        np.testing.assert_array_equal(a, b)


def test_without_both_classes_in_validation_nothing_is_tuned(tiny_corpus):
    """No validation articles, or validation lines of one class only: strength 1 under smoothing: tune and threshold
    0.5, the rule the transformer follows too (models.threshold.untuned); fixed values stay as given."""
    docs, labels = _docs(tiny_corpus)
    one_class = [[1] * len(lab) for lab in labels[30:45]]
    for X_val, y_val in ((None, None), (docs[30:45], one_class)):
        model = TfidfBoilerplateClassifier(n_features=1024, smoothing="tune", C=0.05)
        model.fit(docs[:30], labels[:30], X_val, y_val)
        assert (model.smoothing_, model.threshold_) == (1.0, 0.5)
        fixed = TfidfBoilerplateClassifier(n_features=1024, smoothing=2.0, threshold=0.3, C=0.05)
        fixed.fit(docs[:30], labels[:30], X_val, y_val)
        assert (fixed.smoothing_, fixed.threshold_) == (2.0, 0.3)


def test_boilerplate_model_refuses_single_class(tiny_corpus):
    docs, labels = _docs(tiny_corpus[:5])
    with pytest.raises(DataError, match="both classes"):
        TfidfBoilerplateClassifier().fit(docs, [[0] * len(d) for d in docs])


def test_same_data_same_model(tmp_path, tiny_corpus):
    texts = [r["text"] for r in tiny_corpus]
    topics = [r["topic"] for r in tiny_corpus]
    a = TfidfTopicClassifier(n_features=4096).fit(texts, topics)
    b = TfidfTopicClassifier(n_features=4096).fit(texts, topics)
    assert np.array_equal(a.predict_proba(texts), b.predict_proba(texts))


def test_estimators_take_their_params_from_params_yaml():
    topic = TfidfTopicClassifier.from_params(TfidfTopicParams(alpha=3e-5), seed=7)
    assert topic.get_params() == {**to_dict(TfidfTopicParams(alpha=3e-5)), "random_state": 7}
    bp = TfidfBoilerplateClassifier.from_params(TfidfBoilerplateParams(C=2.0), seed=7)
    assert bp.get_params() == {**to_dict(TfidfBoilerplateParams(C=2.0)), "random_state": 7}
    # the defaults of the estimators are those of config.py (= params.yaml)
    assert TfidfTopicClassifier().get_params() == TfidfTopicClassifier.from_params().get_params()
    assert TfidfBoilerplateClassifier().get_params() == TfidfBoilerplateClassifier.from_params().get_params()


def test_clone_and_set_params(tiny_corpus):
    from sklearn.base import clone

    texts, topics = [r["text"] for r in tiny_corpus], [r["topic"] for r in tiny_corpus]
    fitted = TfidfTopicClassifier(n_features=1024).fit(texts, topics)
    copy = clone(fitted)
    assert copy.get_params() == fitted.get_params() and not hasattr(copy, "pipeline_")
    copy.set_params(alpha=1e-3, char_ngram_max=4)
    assert copy.alpha == 1e-3 and fitted.alpha == 2e-6 and fitted.char_ngram_max == 0
    np.testing.assert_array_equal(clone(fitted).fit(texts, topics).predict_proba(texts), fitted.predict_proba(texts))
    docs, labels = _docs(tiny_corpus)
    bp = TfidfBoilerplateClassifier(n_features=1024, threshold=0.4).fit(docs[:30], labels[:30])
    bp2 = clone(bp).set_params(context=1)
    assert bp2.get_params() == {**bp.get_params(), "context": 1} and not hasattr(bp2, "pipeline_")
    assert bp2.fit(docs[:30], labels[:30]).threshold_ == 0.4
    assert bp2.score(docs[30:], labels[30:]) > 0.8


def test_grid_search_over_the_topic_model(tiny_corpus):
    from sklearn.model_selection import GridSearchCV

    texts, topics = [r["text"] for r in tiny_corpus], [r["topic"] for r in tiny_corpus]
    grid = GridSearchCV(TfidfTopicClassifier(n_features=1024), {"alpha": [1e-5, 1e-3], "char_ngram_max": [0, 4]},
                        cv=3)
    grid.fit(texts, topics)
    assert set(grid.best_params_) == {"alpha", "char_ngram_max"} and grid.best_score_ > 0.8
    assert list(grid.predict(texts[:3])) == topics[:3]


def test_grid_search_over_the_boilerplate_model(tiny_corpus):
    from sklearn.model_selection import GridSearchCV

    docs, labels = _docs(tiny_corpus)
    grid = GridSearchCV(TfidfBoilerplateClassifier(n_features=1024, threshold=0.5), {"context": [0, 2]}, cv=2)
    grid.fit(docs, labels)
    assert grid.best_params_["context"] in (0, 2) and grid.best_score_ > 0.8


def test_features_are_scikit_learns_pipeline_in_fit_and_predict(tiny_corpus):
    """The fitted model is one scikit-learn Pipeline (FeatureUnion of hashed n-gram TF-IDF blocks, and the line
    shape for boilerplate); predicting runs that same object."""
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.pipeline import FeatureUnion, Pipeline

    texts, topics = [r["text"] for r in tiny_corpus], [r["topic"] for r in tiny_corpus]
    model = TfidfTopicClassifier(n_features=1024).fit(texts, topics)
    pipe = model.pipeline_
    assert isinstance(pipe, Pipeline) and isinstance(pipe.named_steps["features"], FeatureUnion)
    words = pipe.named_steps["features"].transformer_list[0][1]
    assert isinstance(words.named_steps["hash"], HashingVectorizer)
    assert isinstance(words.named_steps["tfidf"], TfidfTransformer)
    np.testing.assert_array_equal(model.predict_proba(texts), pipe.predict_proba(texts))
    x = pipe.named_steps["features"].transform(texts[:2])
    assert x.shape == (2, 1024)
    assert TfidfTopicClassifier(n_features=1024, char_ngram_max=4).fit(texts, topics).pipeline_.named_steps[
        "features"].transform(texts[:2]).shape == (2, 2 * 1024)
    docs, labels = _docs(tiny_corpus)
    bp = TfidfBoilerplateClassifier(n_features=1024, smoothing=0.0, threshold=0.5).fit(docs, labels)
    assert bp.pipeline_.named_steps["features"].transform(docs[:2]).shape[0] == len(docs[0]) + len(docs[1])
    # the model sums the blocks' parts of the decision (the n-gram ones once per distinct line): the pipeline's
    # own probabilities up to rounding, with and without character n-grams, repeated and blank lines included
    batch = docs[:6] + [docs[0][:3], [], [""], ["Share this article", "Share this article"]]
    for model in (bp, TfidfBoilerplateClassifier(n_features=512, char_ngram_max=0, smoothing=0.0,
                                                 threshold=0.5).fit(docs, labels)):
        got = model.predict_proba(batch)
        assert [len(p) for p in got] == [len(d) for d in batch]
        np.testing.assert_allclose(np.concatenate(got), model.pipeline_.predict_proba(batch)[:, 1],
                                   rtol=1e-12, atol=1e-12)


def test_hashed_tfidf_equals_scikit_learns_tfidf_vectorizer():
    """HashingVectorizer + SeenTfidfTransformer give each text the same TF-IDF values as TfidfVectorizer (the
    vocabulary form: n-grams unseen in training, or seen in fewer than min_df texts, are ignored), up to the
    order of the columns, when no two n-grams share a bucket."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer
    from sklearn.pipeline import make_pipeline

    from newssift.features.hashing import SeenTfidfTransformer

    train = ["the council voted on the harbour wall", "the wall will be rebuilt before winter",
             "council members argued for two years", "Share this article", "the the council"]
    new = ["the council rebuilt the wall", "völlig unbekannte Wörter only", "", "wall wall wall"]
    for analyzer, ngrams, min_df in (("word", (1, 2), 1), ("word", (1, 1), 2), ("char_wb", (2, 4), 1)):
        ref = TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, min_df=min_df, sublinear_tf=True).fit(train)
        ours = make_pipeline(HashingVectorizer(analyzer=analyzer, ngram_range=ngrams, n_features=1 << 22,
                                               alternate_sign=False, norm=None),
                             SeenTfidfTransformer(min_df=min_df, sublinear_tf=True)).fit(train)
        for texts in (train, new):
            a, b = sp.csr_matrix(ref.transform(texts)), sp.csr_matrix(ours.transform(texts))
            for i in range(len(texts)):
                np.testing.assert_allclose(np.sort(a[i].data), np.sort(b[i].data), rtol=1e-6)


@pytest.mark.parametrize("kw", [
    dict(ngram_range=(2, 4), preprocessor=normalize_line, dtype=np.float32),
    dict(ngram_range=(1, 5), lowercase=False, n_features=64),  # many collisions
    dict(ngram_range=(3, 3), alternate_sign=True, norm="l2", binary=True),
    dict(ngram_range=(2, 3), strip_accents="unicode", norm="l1"),
])
def test_wordwise_char_hashing_equals_scikit_learns(tiny_corpus, kw):
    """BatchHashingVectorizer (each distinct line, and each distinct word's char_wb n-grams, hashed once) returns
    exactly what HashingVectorizer returns, whatever the settings and the text."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import HashingVectorizer

    from newssift.features.hashing import BatchHashingVectorizer

    nasty = [ln for ln in NASTY_LINES if "\ud800" not in ln]  # scikit-learn cannot hash a lone surrogate
    texts = [ln for r in tiny_corpus[:8] for ln in r["text"].split("\n")] + nasty + [
        "a  b\tc\u00a0d\u2003e\x1cf", "x", "", " ", "Été 2024: 12,5 % — «ça» va", "repeat repeat repeat"]
    texts += texts[::3]  # repeated lines
    kw = {"n_features": 1 << 18, "analyzer": "char_wb", **kw}
    ref = HashingVectorizer(**kw).transform(texts)
    got = BatchHashingVectorizer(**kw).transform(texts)
    assert got.shape == ref.shape and got.dtype == ref.dtype
    diff = sp.csr_matrix(ref) - sp.csr_matrix(got)
    assert abs(diff).max() == 0 if diff.nnz else True
    for odd in (["", " "], []):  # no word at all; no text at all (the same error as scikit-learn's, if any)
        try:
            expected = sp.csr_matrix(HashingVectorizer(**kw).transform(odd)).toarray()
        except Exception as exc:  # scikit-learn 1.9 raises StopIteration on no text at all
            with pytest.raises(type(exc)):
                BatchHashingVectorizer(**kw).transform(odd)
        else:
            np.testing.assert_array_equal(sp.csr_matrix(BatchHashingVectorizer(**kw).transform(odd)).toarray(),
                                          expected)
    # other analyzers are scikit-learn's own transform
    words = {**kw, "analyzer": "word", "ngram_range": (1, 2)}
    assert (sp.csr_matrix(BatchHashingVectorizer(**words).transform(texts))
            != sp.csr_matrix(HashingVectorizer(**words).transform(texts))).nnz == 0


def test_bad_params_are_refused_when_fitting(tiny_corpus):
    texts, topics = [r["text"] for r in tiny_corpus], [r["topic"] for r in tiny_corpus]
    for bad in ({"alpha": 0}, {"char_ngram_min": 4, "char_ngram_max": 3}, {"class_weight": "auto"},
                {"n_features": 1 << 30}):
        with pytest.raises(ValueError):
            TfidfTopicClassifier(**bad).fit(texts, topics)
    docs, labels = _docs(tiny_corpus)
    for bad in ({"threshold": 1.5}, {"threshold": "best"}, {"smoothing": -1}, {"C": -1.0}, {"span": "auto"},
                {"span": 1}, {"span_margin": -0.5}):
        with pytest.raises(ValueError):
            TfidfBoilerplateClassifier(**bad).fit(docs, labels)


def test_the_cli_imports_the_tfidf_models_without_pandas_or_rich_and_they_still_import_afterwards():
    """`newssift predict` with TF-IDF models skips scikit-learn's optional pandas and rich imports and defers
    scipy.stats (together about half of its start-up); in a fresh process: the models import and work, none of the
    three is loaded, the functions scikit-learn took from scipy.stats still give scipy's results, and all three
    import afterwards."""
    import subprocess
    import sys

    code = ("import sys\nfrom newssift.models.registry import import_tfidf_lean as f\nf()\n"
            "import newssift.models.tfidf, sklearn\n"
            "assert 'pandas' not in sys.modules and 'rich' not in sys.modules, 'pandas or rich was imported'\n"
            "m = newssift.models.tfidf.TfidfTopicClassifier(n_features=256)\n"
            "m.fit(['goal match team'] * 3 + ['market shares bank'] * 3, ['sport'] * 3 + ['business'] * 3)\n"
            "assert list(m.predict(['team goal', 'bank shares'])) == ['sport', 'business'], m.predict(['x'])\n"
            "assert 'scipy.stats' not in sys.modules, 'scipy.stats was imported'\n"
            "from sklearn.metrics._ranking import rankdata\nfrom sklearn._loss.link import gmean\n"
            "assert list(rankdata([30, 10, 20, 10])) == [4.0, 1.5, 3.0, 1.5] and abs(gmean([2, 8]) - 4) < 1e-12\n"
            "import scipy.stats\nassert type(scipy.stats).__name__ == 'module' and scipy.stats.norm.cdf(0) == 0.5\n"
            "assert sys.modules['scipy.stats'] is scipy.stats and scipy.stats.rankdata is not rankdata\n"
            "import pandas, rich.progress\nassert pandas.DataFrame({'a': [1]}).shape == (1, 1)\nprint('ok')\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and res.stdout.strip() == "ok", res.stderr


def test_a_deferred_module_forwards_its_functions_and_imports_the_real_module_for_anything_else(monkeypatch):
    import sys

    from newssift.models.registry import _DeferredModule

    monkeypatch.delitem(sys.modules, "colorsys", raising=False)
    stand_in = _DeferredModule("colorsys", ("rgb_to_hsv",))
    monkeypatch.setitem(sys.modules, "colorsys", stand_in)
    from colorsys import rgb_to_hsv  # a forwarder: nothing is imported yet

    assert sys.modules["colorsys"] is stand_in and rgb_to_hsv.__name__ == "rgb_to_hsv"
    assert rgb_to_hsv(1.0, 0.0, 0.0) == (0.0, 1.0, 1.0)
    real = sys.modules["colorsys"]
    assert real is not stand_in and not isinstance(real, _DeferredModule)  # imported at the first call
    monkeypatch.setitem(sys.modules, "colorsys", stand_in)
    hls_to_rgb = stand_in.hls_to_rgb  # not listed: the real module is imported now
    assert not isinstance(sys.modules["colorsys"], _DeferredModule) and hls_to_rgb is sys.modules["colorsys"].hls_to_rgb
    assert not hasattr(stand_in, "__path__")  # a plain module to the import machinery


def test_bounded_memo_keeps_short_keys_up_to_its_limit_and_returns_exact_values():
    from newssift.features import BoundedMemo

    calls = []

    def square_len(keys):
        calls.append(list(keys))
        return [len(k) ** 2 for k in keys]

    m = BoundedMemo(limit=3, max_len=5)
    assert m.get_many(["a", "bb", "long key"], square_len) == [1, 4, 64]
    assert set(m.values) == {"a", "bb"}  # the long key is computed, not kept
    assert m.get_many(["bb", "a"], square_len) == [4, 1] and len(calls) == 1  # both remembered
    assert m.get_many(["ccc", "dddd"], square_len) == [9, 16]  # 2 + 2 > 3: the memo restarts
    assert set(m.values) == {"ccc", "dddd"}
    assert m.get_many([], square_len) == []


def test_features_remembered_across_batches_equal_scikit_learns(tiny_corpus, monkeypatch):
    """Lines seen in an earlier batch take their rows (n-grams, shapes) from the memo: every batch still equals
    HashingVectorizer / line_shapes on that batch alone, also when the memo restarts and for lines too long to
    be remembered."""
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import HashingVectorizer

    import newssift.features.hashing as hashing
    import newssift.features.lines as lines_mod
    from newssift.features import clear_memos
    from newssift.features.hashing import BatchHashingVectorizer
    from newssift.features.lines import LineFeatures

    clear_memos()
    monkeypatch.setattr(hashing, "MEMO_LINES", 40)  # small: the memo restarts during the test
    monkeypatch.setattr(lines_mod, "MEMO_LINES", 40)
    lines = [ln for r in tiny_corpus[:12] for ln in r["text"].split("\n")] + ["word " * 200]
    batches = [lines[i:i + 50] + lines[:10] for i in range(0, len(lines), 25)]  # overlapping batches
    try:
        for kw in ({"analyzer": "char_wb", "ngram_range": (2, 4)}, {"analyzer": "word", "ngram_range": (1, 2)}):
            kw = {"n_features": 1 << 16, "alternate_sign": False, "norm": None, **kw}
            for batch in batches + batches:
                got = sp.csr_matrix(BatchHashingVectorizer(**kw).transform(batch))
                ref = sp.csr_matrix(HashingVectorizer(**kw).transform(batch))
                assert (got != ref).nnz == 0
        for batch in batches + batches:
            np.testing.assert_array_equal(LineFeatures(2).transform([batch]), doc_features(batch, 2))
    finally:
        clear_memos()


def test_remembered_line_parts_are_each_fitted_models_own(tiny_corpus, monkeypatch):
    """The boilerplate model remembers each line's n-gram part of its decision per fitted (or loaded) model:
    two models predicting the same lines in turn each give their own pipeline's probabilities, batch after
    batch, also when the memo restarts and for lines too long to be remembered; a refit starts a new memo;
    only the most recently used models' memos are kept."""
    import newssift.features as features
    import newssift.models.tfidf as tfidf_mod
    from newssift.features import clear_memos, model_memo

    clear_memos()
    monkeypatch.setattr(tfidf_mod, "MEMO_LINES", 30)  # small: the memo restarts during the test
    docs, labels = _docs(tiny_corpus)
    a = TfidfBoilerplateClassifier(n_features=1024, smoothing=0.0, threshold=0.5).fit(docs, labels)
    b = TfidfBoilerplateClassifier(n_features=1024, C=0.01, char_ngram_max=3, smoothing=0.0,
                                   threshold=0.5).fit(docs[::-1], labels[::-1])
    batches = [docs[i:i + 3] + [docs[0], ["word " * 200, "Share this article"]] for i in range(0, 12, 2)]
    try:
        for batch in batches + batches:
            for model in (a, b):
                np.testing.assert_allclose(np.concatenate(model.predict_proba(batch)),
                                           model.pipeline_.predict_proba(batch)[:, 1], rtol=1e-12, atol=1e-12)
        assert not np.allclose(np.concatenate(a.predict_proba(docs[:2])), np.concatenate(b.predict_proba(docs[:2])))
        key = a.memo_key_
        a.fit(docs[:10], labels[:10])  # a new fit: a new memo, the old model's parts are not reused
        assert a.memo_key_ != key
        np.testing.assert_allclose(np.concatenate(a.predict_proba(docs)), a.pipeline_.predict_proba(docs)[:, 1],
                                   rtol=1e-12, atol=1e-12)
        for k in range(features.MEMO_MODELS + 3):
            model_memo("test kind", f"model {k}", 10, 10)
        model_memo("test kind", "model 4", 10, 10)  # used again: the most recent
        kept = [name[1] for name in features._MEMOS if name[0] == "test kind"]
        assert len(kept) == features.MEMO_MODELS and kept[-1] == "model 4" and "model 0" not in kept
    finally:
        clear_memos()
