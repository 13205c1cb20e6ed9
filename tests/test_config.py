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
        ({"tfidf": {"topic": {"c": 1.0}}}, "unknown key 'tfidf.topic.c' (did you mean 'tfidf.topic.C'?)"),
        ({"trasnformer": {}}, "did you mean 'transformer'"),
        ({"tfidf": {"topic": {"C": "high"}}}, "tfidf.topic.C: expected a number > 0, got 'high'"),
        ({"transformer": {"enabled": "yes"}}, "transformer.enabled: expected true or false, got 'yes'"),
        ({"split": {"test": 0.9}}, "sum to less than 1"),
        ({"tfidf": {"boilerplate": {"threshold": "auto"}}}, "threshold"),
        ({"evaluate": {"families": ["svm"]}}, "evaluate.families[0]: expected 'tfidf' or 'transformer', got 'svm'"),
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
    p = params_from_dict({"tfidf": {"topic": {"C": 3}}, "transformer": {"topic": {"max_train_samples": 10}}})
    assert isinstance(p, Params)
    assert p.tfidf.topic.C == 3.0 and isinstance(p.tfidf.topic.C, float)
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
