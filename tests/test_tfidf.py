import numpy as np
import pytest

from newssift.config import TfidfBoilerplateParams, TfidfTopicParams
from newssift.errors import DataError, ModelLoadError
from newssift.features.lines import doc_features, feature_names, line_shape, line_shapes
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
    model = TfidfTopicClassifier(TfidfTopicParams(max_features=5000)).fit(texts[:45], topics[:45])
    assert model.classes_ == ["business", "science", "sport"]
    proba = model.predict_proba(texts[45:])
    assert proba.shape == (15, 3) and np.allclose(proba.sum(axis=1), 1)
    assert np.mean(np.array(model.predict(texts[45:])) == np.array(topics[45:])) > 0.8
    model.save(tmp_path / "topic")
    again = TfidfTopicClassifier.load(tmp_path / "topic")
    assert np.allclose(again.predict_proba(texts[45:]), proba)
    with pytest.raises(ModelLoadError, match="expected 'boilerplate'"):
        TfidfBoilerplateClassifier.load(tmp_path / "topic")


def test_boilerplate_model_learns_and_roundtrips(tmp_path, tiny_corpus):
    docs, labels = _docs(tiny_corpus)
    model = TfidfBoilerplateClassifier(TfidfBoilerplateParams(max_features=5000))
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
        assert np.allclose(a, b)


def test_boilerplate_model_refuses_single_class(tiny_corpus):
    docs, labels = _docs(tiny_corpus[:5])
    with pytest.raises(DataError, match="both classes"):
        TfidfBoilerplateClassifier().fit(docs, [[0] * len(d) for d in docs])


def test_same_data_same_model(tmp_path, tiny_corpus):
    texts = [r["text"] for r in tiny_corpus]
    topics = [r["topic"] for r in tiny_corpus]
    a = TfidfTopicClassifier(TfidfTopicParams(max_features=5000)).fit(texts, topics)
    b = TfidfTopicClassifier(TfidfTopicParams(max_features=5000)).fit(texts, topics)
    assert np.array_equal(a.predict_proba(texts), b.predict_proba(texts))


class Gadget:
    """Stands for any object a model file should never contain."""

    def __init__(self):
        self.payload = "not a model"


def test_tampered_or_foreign_skops_file_is_refused(tmp_path, tiny_corpus):
    import skops.io as sio

    texts = [r["text"] for r in tiny_corpus]
    model = TfidfTopicClassifier(TfidfTopicParams(max_features=2000)).fit(texts, [r["topic"] for r in tiny_corpus])
    model.save(tmp_path / "m")
    with open(tmp_path / "m" / "model.skops", "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(ModelLoadError, match="checksum mismatch"):
        TfidfTopicClassifier.load(tmp_path / "m")
    # a file whose checksum matches but which holds a type outside the allow-list is refused before loading
    from newssift.artifacts import model_dir_writer

    with model_dir_writer(tmp_path / "evil", {"family": "tfidf", "task": "topic", "labels": [], "params": {}}) as t:
        sio.dump({"word": Gadget(), "char": None, "clf": None}, t / "model.skops")
    with pytest.raises(ModelLoadError, match="allow-list"):
        TfidfTopicClassifier.load(tmp_path / "evil")


def test_wrong_structure_is_refused(tmp_path):
    import skops.io as sio

    from newssift.artifacts import model_dir_writer

    with model_dir_writer(tmp_path / "odd", {"family": "tfidf", "task": "topic", "labels": [], "params": {}}) as t:
        sio.dump({"word": None}, t / "model.skops")
    with pytest.raises(ModelLoadError, match="not a newssift TF-IDF topic model"):
        TfidfTopicClassifier.load(tmp_path / "odd")
