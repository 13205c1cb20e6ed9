import pytest
import yaml

from newssift.config import Params, load_params, params_from_dict, to_dict
from newssift.errors import ConfigError


def test_shipped_params_load_and_every_key_is_known(project_root):
    raw = yaml.safe_load((project_root / "params.yaml").read_text())
    params = load_params(project_root / "params.yaml")

    def keys(d, pre=""):
        out = set()
        for k, v in d.items():
            out |= keys(v, f"{pre}{k}.") if isinstance(v, dict) else {pre + k}
        return out

    # the file spells out every tunable, and nothing else
    assert keys(raw) == keys(to_dict(params))


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"tfidf": {"boilerplate": {"c": 1.0}}}, "unknown key 'tfidf.boilerplate.c' (did you mean 'tfidf.boilerplate.C'?)"),
        ({"trasnformer": {}}, "did you mean 'transformer'"),
        ({"tfidf": {"boilerplate": {"C": "high"}}}, "tfidf.boilerplate.C: expected float"),
        ({"tfidf": {"topic": {"max_features": 1000}}}, "unknown key 'tfidf.topic.max_features'"),
        ({"tfidf": {"topic": {"alpha": 0}}}, "tfidf.topic.alpha: expected a number > 0"),
        ({"tfidf": {"topic": {"char_ngram_min": 4, "char_ngram_max": 3}}},
         "tfidf.topic.char_ngram_max: expected an integer between 4 and 10 (or 0 = none), got 3"),
        ({"tfidf": {"boilerplate": {"n_features": 1}}}, "tfidf.boilerplate.n_features: expected an integer between 2"),
        ({"tfidf": {"boilerplate": {"context": 11}}}, "tfidf.boilerplate.context: expected an integer between 0 and 10"),
        ({"tfidf": {"boilerplate": {"class_weight": "auto"}}}, "tfidf.boilerplate.class_weight: expected null or balanced"),
        ({"transformer": {"enabled": "yes"}}, "transformer.enabled: expected bool"),
        ({"split": {"test": 0.9}}, "sum to less than 1"),
        ({"tfidf": {"boilerplate": {"threshold": "auto"}}}, "threshold"),
        ({"evaluate": {"families": ["svm"]}}, "unknown model family"),
        ({"transformer": {"boilerplate": {"smoothing": "auto"}}}, "transformer.boilerplate.smoothing: expected 'tune' or a number >= 0"),
        ({"transformer": {"boilerplate": {"smoothing": -1}}}, "transformer.boilerplate.smoothing: expected 'tune' or a number >= 0"),
        ({"data": "corpus.jsonl"}, "data: expected a mapping"),
    ],
)
def test_bad_params_are_rejected_clearly(raw, message):
    with pytest.raises(ConfigError) as err:
        params_from_dict(raw)
    assert message in str(err.value)


def test_defaults_and_types():
    p = params_from_dict({"tfidf": {"boilerplate": {"C": 3}}, "transformer": {"topic": {"max_train_samples": 10}}})
    assert isinstance(p, Params)
    assert p.tfidf.boilerplate.C == 3.0 and isinstance(p.tfidf.boilerplate.C, float)
    assert p.transformer.topic.max_train_samples == 10
    assert p.transformer.boilerplate.max_train_samples is None


def test_load_params_names_the_file(tmp_path):
    bad = tmp_path / "params.yaml"
    bad.write_text("seed: 1\nsplt: {}\n")
    with pytest.raises(ConfigError, match=str(bad)):
        load_params(bad)
    bad.write_text("seed: [unclosed\n")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_params(bad)
