import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import make_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from newssift.config import (
    Params,
    TfidfBoilerplateParams,
    TfidfTopicParams,
    TransformerParams,
    load_params,
    params_from_dict,
    params_from_manifest,
    replace,
    to_dict,
)
from newssift.errors import ConfigError, ModelLoadError


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


def test_shipped_params_are_the_schema_defaults(project_root):
    """The defaults live in one place: params.yaml spells out config.py's defaults, value for value (a drift would
    make a bench, a test or library code that builds ``Params()`` train other models than `dvc repro`)."""
    def flat(d, pre=""):
        out = {}
        for k, v in d.items():
            out.update(flat(v, f"{pre}{k}.") if isinstance(v, dict) else {pre + k: v})
        return out

    shipped, defaults = flat(to_dict(load_params(project_root / "params.yaml"))), flat(to_dict(Params()))
    assert {k: v for k, v in shipped.items() if defaults[k] != v} == {}


def test_topic_read_length_is_a_topic_key():
    """`max_length` only concerns the topic model: it sits under transformer.topic (so that changing it leaves the
    boilerplate tagger's DVC stage alone), and the old top-level spelling is refused with a pointer."""
    p = params_from_dict({"transformer": {"topic": {"max_length": 256}}})
    assert p.transformer.topic.max_length == 256
    assert not hasattr(p.transformer, "max_length") and not hasattr(p.transformer.boilerplate, "max_length")
    with pytest.raises(ConfigError, match=r"unknown key 'transformer.max_length' \(did you mean "
                                          r"'transformer.topic.max_length'\?\)"):
        params_from_dict({"transformer": {"max_length": 256}})


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"tfidf": {"boilerplate": {"c": 1.0}}}, "unknown key 'tfidf.boilerplate.c' (did you mean 'tfidf.boilerplate.C'?)"),
        ({"trasnformer": {}}, "did you mean 'transformer'"),
        ({"tfidf": {"boilerplate": {"C": "high"}}}, "tfidf.boilerplate.C: expected a number > 0, got 'high'"),
        ({"tfidf": {"topic": {"max_features": 1000}}}, "unknown key 'tfidf.topic.max_features'"),
        ({"tfidf": {"topic": {"alpha": 0}}}, "tfidf.topic.alpha: must be > 0 (got 0)"),
        ({"tfidf": {"topic": {"char_ngram_min": 4, "char_ngram_max": 3}}},
         "tfidf.topic.char_ngram_min: must be <= char_ngram_max"),
        ({"tfidf": {"boilerplate": {"n_features": 1}}}, "tfidf.boilerplate.n_features: must be in [2, 16777216] (got 1)"),
        ({"tfidf": {"boilerplate": {"context": 11}}}, "tfidf.boilerplate.context: must be in [0, 10] (got 11)"),
        ({"tfidf": {"boilerplate": {"class_weight": "auto"}}}, "tfidf.boilerplate.class_weight: expected"),
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


# Ranges and rules: each kind of mistake, at least two cases each; the message names the dotted key, the value
# and what is allowed.
RANGE_CASES = {
    "zero-or-negative": [
        ({"clean": {"num_perm": 0}}, "clean.num_perm: must be >= 2 (got 0)"),
        ({"tfidf": {"topic": {"n_features": -5}}}, "tfidf.topic.n_features: must be in [2, 16777216] (got -5)"),
        ({"tfidf": {"topic": {"min_df": 0}}}, "tfidf.topic.min_df: must be >= 1 (got 0)"),
        ({"tfidf": {"boilerplate": {"C": 0}}}, "tfidf.boilerplate.C: must be > 0 (got 0)"),
        ({"transformer": {"topic": {"learning_rate": -1.0e-5}}}, "transformer.topic.learning_rate: must be > 0"),
        ({"tfidf": {"topic": {"max_iter": 0}}}, "tfidf.topic.max_iter: must be >= 1 (got 0)"),
    ],
    "impossible-value": [
        ({"tfidf": {"boilerplate": {"context": -1}}}, "tfidf.boilerplate.context: must be in [0, 10] (got -1)"),
        ({"tfidf": {"boilerplate": {"smoothing": -0.5}}}, "tfidf.boilerplate.smoothing: expected 'tune' or a number >= 0"),
        ({"sample": {"n_articles": 0}}, "sample.n_articles: must be >= 1 (got 0)"),
        ({"split": {"validation": 1.0}}, "split.validation: must be in (0, 1) (got 1.0)"),
        ({"seed": -1}, "seed: must be in [0, 2147483647] (got -1)"),
        ({"tfidf": {"topic": {"alpha": float("nan")}}}, "tfidf.topic.alpha: must be a finite number (got nan)"),
        ({"transformer": {"warmup_ratio": 1.0}}, "transformer.warmup_ratio: must be in [0, 1) (got 1.0)"),
        ({"tfidf": {"boilerplate": {"threshold": 1.5}}},
         "tfidf.boilerplate.threshold: expected 'tune' or a number in (0, 1), got 1.5"),
        ({"data": {"corpus": ""}}, "data.corpus: must be non-empty (got '')"),
    ],
    "inverted-or-inconsistent": [
        ({"tfidf": {"topic": {"char_ngram_min": 6, "char_ngram_max": 5}}},
         "tfidf.topic.char_ngram_min: must be <= char_ngram_max (5) (got 6)"),
        ({"split": {"validation": 0.5, "test": 0.5}}, "split.test: validation + test must sum to less than 1"),
        ({"transformer": {"boilerplate": {"max_lines": 100, "chunk_overlap": 51}}},
         "transformer.boilerplate.chunk_overlap: must be <= max_lines / 2 = 50"),
        ({"clean": {"min_chars": 100, "max_chars": 50}}, "clean.min_chars: must be <= max_chars (50)"),
        ({"transformer": {"boilerplate": {"context": "transformer", "context_dim": 6}}},
         "transformer.boilerplate.context_dim: must be a multiple of 4"),
        ({"transformer": {"enabled": False}, "split_articles": {"model": "transformer"}},
         "split_articles.model: 'transformer' needs transformer.enabled: true"),
    ],
    "bad-choice": [
        ({"tfidf": {"topic": {"class_weight": "auto"}}},
         "tfidf.topic.class_weight: expected 'balanced' or null, got 'auto'"),
        ({"transformer": {"device": "gpu"}}, "transformer.device: expected 'auto', 'cpu', 'cuda' or 'mps', got 'gpu'"),
        ({"transformer": {"mixed_precision": "fp32"}}, "transformer.mixed_precision: expected 'auto', 'no', 'fp16'"),
        ({"transformer": {"boilerplate": {"context": "lstm"}}},
         "transformer.boilerplate.context: expected 'gru' or 'transformer', got 'lstm'"),
        ({"split_articles": {"model": "bert"}}, "split_articles.model: expected 'tfidf' or 'transformer', got 'bert'"),
    ],
    "wrong-type": [
        ({"tfidf": {"topic": {"n_features": "1000"}}},
         "tfidf.topic.n_features: expected an integer in [2, 16777216], got '1000' (text, not a number: remove "
         "the quotes)"),
        ({"transformer": {"topic": {"batch_size": 2.5}}}, "transformer.topic.batch_size: expected an integer >= 1, got 2.5"),
        ({"transformer": {"topic": {"learning_rate": "5e-5"}}},
         "transformer.topic.learning_rate: expected a number > 0, got '5e-5' (text, not a number: remove the "
         "quotes)"),
        ({"clean": {"num_perm": True}}, "clean.num_perm: expected an integer >= 2, got true"),
        ({"evaluate": {"families": "tfidf"}}, "evaluate.families: expected a list of 'tfidf' or 'transformer'"),
        ({"transformer": {"num_threads": "4"}}, "transformer.num_threads: expected an integer >= 1 or null, got '4'"),
        ({"tfidf": "fast"}, "tfidf: expected a mapping, got 'fast'"),
    ],
    "unknown-key": [
        ({"clean": {"num_perms": 64}}, "unknown key 'clean.num_perms' (did you mean 'clean.num_perm'?)"),
        ({"tfidf": {"topic": {"Min_df": 2}}}, "unknown key 'tfidf.topic.Min_df' (did you mean 'tfidf.topic.min_df'?)"),
        ({"transformer": {"boilerplate": {"gru_layers": 2}}}, "unknown key 'transformer.boilerplate.gru_layers'"),
        ({1: 2}, "unknown key '1'; allowed keys here: seed, data"),
    ],
}


@pytest.mark.parametrize("raw, message", [c for cases in RANGE_CASES.values() for c in cases],
                         ids=[f"{kind}-{i}" for kind, cases in RANGE_CASES.items() for i in range(len(cases))])
def test_out_of_range_and_inconsistent_values_name_the_key_and_what_is_allowed(raw, message):
    with pytest.raises(ConfigError) as err:
        params_from_dict(raw)
    assert message in str(err.value)
    assert len(str(err.value).splitlines()) == 1


def test_every_kind_of_mistake_has_at_least_two_cases():
    assert all(len(cases) >= 2 for cases in RANGE_CASES.values())


def test_boundary_values_are_accepted():
    p = params_from_dict({
        "clean": {"num_perm": 2, "min_chars": 0, "max_chars": 1, "near_duplicate_threshold": 1.0},
        "tfidf": {"topic": {"char_ngram_min": 3, "char_ngram_max": 3, "min_df": 1, "class_weight": None},
                  "boilerplate": {"context": 0, "smoothing": 0, "threshold": 0.5, "class_weight": "balanced"}},
        "split": {"validation": 0.4, "test": 0.5},
        "transformer": {"warmup_ratio": 0, "num_threads": 1, "boilerplate": {
            "max_lines": 10, "chunk_overlap": 5, "encoder_layers": None, "char_ngram_buckets": 0,
            "context": "transformer", "context_dim": 8, "smoothing": 0}},
        "seed": 0,
    })
    assert p.tfidf.boilerplate.smoothing == 0.0 and p.tfidf.boilerplate.threshold == 0.5
    assert p.transformer.boilerplate.smoothing == 0.0 and isinstance(p.transformer.boilerplate.smoothing, float)
    assert p.tfidf.topic.class_weight is None and p.transformer.boilerplate.encoder_layers is None


def test_several_mistakes_are_reported_on_one_line():
    with pytest.raises(ConfigError) as err:
        params_from_dict({"tfidf": {"topic": {"min_df": 0, "n_features": 0, "alpha": 0, "max_iter": 0}}})
    msg = str(err.value)
    assert len(msg.splitlines()) == 1
    assert "tfidf.topic.n_features: must be in [2, 16777216] (got 0); tfidf.topic.min_df: must be >= 1 (got 0)" in msg
    assert msg.endswith("(and 1 more)")


def test_empty_file_and_empty_sections_mean_defaults(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text("")
    assert load_params(f) == Params()
    f.write_text("clean:\nsplit: {}\n")
    assert load_params(f) == Params()


def test_params_are_frozen_and_replace_validates():
    p = Params()
    with pytest.raises(ValidationError):
        p.seed = 3
    q = replace(p.tfidf.topic, min_df=2)
    assert q.min_df == 2 and p.tfidf.topic.min_df == 1
    with pytest.raises(ConfigError, match=r"min_df: must be >= 1 \(got 0\)"):
        replace(p.tfidf.topic, min_df=0)


# Duplicate keys: PyYAML keeps the last value silently; params.yaml refuses them, naming file, line and key.

@pytest.mark.parametrize("text, message", [
    ("seed: 1\nseed: 2\n", "duplicate key 'seed' at line 2 (first at line 1)"),
    ("tfidf:\n  topic:\n    min_df: 1\n    C: 2.0\n    min_df: 3\n",
     "duplicate key 'tfidf.topic.min_df' at line 5 (first at line 3)"),
    ("clean:\n  num_perm: 64\nsplit: {}\nclean:\n  min_chars: 3\n", "duplicate key 'clean' at line 4 (first at line 1)"),
    ("evaluate: {families: [tfidf], families: [transformer]}\n", "duplicate key 'evaluate.families' at line 1 (first at line 1)"),
])
def test_duplicate_yaml_keys_are_rejected(tmp_path, text, message):
    f = tmp_path / "params.yaml"
    f.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_params(f)
    assert str(err.value) == f"{f}: {message}; each key may appear once"


def test_yaml_merge_keys_are_not_duplicates(tmp_path):
    f = tmp_path / "params.yaml"
    f.write_text("split: &s {validation: 0.1, test: 0.1}\ntransformer:\n  topic: {epochs: 1.0}\n"
                 "  boilerplate: {<<: {epochs: 2.0, batch_size: 4}, epochs: 3.0}\n")
    p = load_params(f)
    assert p.transformer.boilerplate.epochs == 3.0 and p.transformer.boilerplate.batch_size == 4


@pytest.mark.parametrize("text, message", [
    ("seed: 2024-02-30\n", "not valid YAML"),  # a date that does not exist: datetime's ValueError
    ("seed: 2024-02-03\n", "seed: expected an integer in [0, 2147483647], got datetime.date(2024, 2, 3)"),
    ("seed: !!binary aGk=\n", "seed: expected an integer"),
    ("[" * 5000 + "]" * 5000, "p.yaml: "),
])
def test_odd_yaml_is_a_config_error(tmp_path, text, message):
    f = tmp_path / "p.yaml"
    f.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_params(f)
    assert message in str(err.value) and len(str(err.value).splitlines()) == 1


# One manifest -> params path, for every model family

def test_params_from_manifest_round_trips_and_ignores_unknown_keys():
    params = params_from_dict({"transformer": {"boilerplate": {"context_dim": 64}, "quantize": "int8"}})
    raw = json.loads(json.dumps(to_dict(params)))  # as the manifest stores it
    assert params_from_manifest(Params, raw, "m.json") == params
    tp = params.transformer
    raw = {**to_dict(tp), "from_a_newer_version": 1, "boilerplate": {**to_dict(tp.boilerplate), "new_knob": True}}
    assert params_from_manifest(TransformerParams, raw, "m.json") == tp
    assert params_from_manifest(TfidfTopicParams, {"min_df": 2}, "m.json") == TfidfTopicParams(min_df=2)


@pytest.mark.parametrize("cls, raw, message", [
    (TfidfTopicParams, {"min_df": 0}, "models/x/manifest.json: params.min_df: must be >= 1 (got 0)"),
    (TfidfBoilerplateParams, {"threshold": "sometimes"},
     "models/x/manifest.json: params.threshold: expected 'tune' or a number in (0, 1), got 'sometimes'"),
    (TransformerParams, {"boilerplate": {"context": "lstm"}},
     "models/x/manifest.json: params.boilerplate.context: expected 'gru' or 'transformer', got 'lstm'"),
    (TransformerParams, None, "models/x/manifest.json: field 'params': missing"),
    (TransformerParams, {"topic": [1]}, "models/x/manifest.json: params.topic: expected a mapping"),
])
def test_params_from_manifest_bad_values_are_model_load_errors(cls, raw, message):
    with pytest.raises(ModelLoadError) as err:
        params_from_manifest(cls, raw, Path("models/x/manifest.json"))
    assert str(err.value).startswith(message)


def test_tfidf_load_rejects_a_manifest_with_bad_params(tmp_path):
    from conftest import rewrite_manifest, train_tiny_tfidf

    from newssift.models.tfidf import TfidfBoilerplateClassifier, TfidfTopicClassifier

    root = train_tiny_tfidf(tmp_path, make_corpus(24))
    for cls, task, key, bad in ((TfidfTopicClassifier, "topic", "min_df", 0),
                                (TfidfBoilerplateClassifier, "boilerplate", "context", -2)):
        manifest = root / "tfidf" / task / "manifest.json"
        trained = cls.load(root / "tfidf" / task).params()
        data = json.loads(manifest.read_text())
        data["params"]["unknown_to_this_version"] = 1  # ignored
        rewrite_manifest(manifest.parent, data)
        assert cls.load(root / "tfidf" / task).params() == trained
        data["params"][key] = bad
        rewrite_manifest(manifest.parent, data)
        with pytest.raises(ModelLoadError, match=rf"{manifest}: params.{key}: must be (>=|in \[0, 10\])"):
            cls.load(root / "tfidf" / task)


# Fuzz: random params mappings and random YAML files give either Params or a ConfigError whose message is one line
# naming a key, never another exception. A fixed budget (200 examples each, no deadline) keeps CI at a few seconds.

def _schema_keys(cls=Params, pre="") -> set[str]:
    out = set()
    for name, field in cls.model_fields.items():
        out.add(pre + name)
        if isinstance(field.annotation, type) and issubclass(field.annotation, BaseModel):
            out |= _schema_keys(field.annotation, f"{pre}{name}.")
    return out


SCHEMA_KEYS = sorted(_schema_keys())
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                        HealthCheck.too_slow])
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-2**40, 2**40), st.integers(-3, 600),
    st.floats(allow_nan=True, allow_infinity=True), st.floats(-2, 2), st.text(max_size=12),
    st.sampled_from(["tune", "balanced", "gru", "transformer", "tfidf", "int8", "none", "auto", "cpu", "fp16", "5e-5",
                     "1.0e-4", "", "null", "yes", "3"]),
    st.binary(max_size=4), st.dates(),
)
_values = st.one_of(_scalars, st.lists(_scalars, max_size=3), st.dictionaries(st.text(max_size=6), _scalars, max_size=3))
# a key: one of the schema's dotted keys, or a near miss of one (case, a letter added, a stray part), or noise
_keys = st.one_of(
    st.sampled_from(SCHEMA_KEYS),
    st.builds(lambda k, c: k[:-1] + c, st.sampled_from(SCHEMA_KEYS), st.sampled_from(["s", "_", "X", ""])),
    st.builds(str.upper, st.sampled_from(SCHEMA_KEYS)),
    st.builds(lambda k, t: f"{k}.{t}", st.sampled_from(SCHEMA_KEYS), st.text(min_size=1, max_size=5)),
    st.text(max_size=8),
)
_edits = st.lists(st.tuples(_keys, _values, st.booleans()), max_size=6)


def _mutated(edits) -> dict:
    """The shipped defaults with ``edits`` applied: (dotted key, value, delete instead of set)."""
    raw = to_dict(Params())
    for dotted, value, delete in edits:
        *parents, last = dotted.split(".") if dotted else [""]
        node = raw
        for part in parents:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        if delete:
            node.pop(last, None)
        else:
            node[last] = value
    return raw


_KEY_AT_START = re.compile(r"(unknown key '|duplicate key '|(?P<key>[\w.\[\]]+): )")


def _assert_params_or_one_line_error(run, prefix: str = "", syntax_ok: bool = False) -> None:
    try:
        result = run()
    except ConfigError as exc:
        msg = str(exc)
        assert len(msg.splitlines()) == 1 and msg == msg.strip(), msg
        assert msg.startswith(prefix), msg
        rest = msg[len(prefix):]
        if syntax_ok and rest.startswith(("not valid YAML", "not UTF-8 text")):
            return
        m = _KEY_AT_START.match(rest)
        assert m, msg
        if m.group("key"):
            assert re.sub(r"\[\d+\]", "", m.group("key")) in {"params", *SCHEMA_KEYS}, msg
    else:
        assert isinstance(result, Params)


# a params mapping: the defaults edited, a mapping of random keys, or something that is not a mapping at all
_raw = st.integers(0, 9).flatmap(lambda i: _edits.map(_mutated) if i < 6 else
                                 st.dictionaries(_keys | st.integers(-2, 2) | st.none() | st.booleans(), _values,
                                                 max_size=3) if i < 9 else _scalars)
_splices = st.lists(st.tuples(st.integers(0, 10_000), st.one_of(
    st.text(max_size=10), st.sampled_from(["\n", ": ", "- ", "{", "[", "&a ", "*a", "<<: ", "!!binary ", "\t",
                                           "seed: 1\n", "  min_df: 2\n", "'", '"', "#", "%YAML 1.1\n", "---\n"]))),
    max_size=2)


@FUZZ
@given(_raw)
def test_fuzz_params_from_dict_gives_params_or_a_one_line_config_error(raw):
    _assert_params_or_one_line_error(lambda: params_from_dict(raw))


def _yaml_text(raw) -> str:
    try:
        return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:  # a value safe_dump cannot write
        return ""


@FUZZ
@given(_raw.map(_yaml_text), _splices)
def test_fuzz_load_params_gives_params_or_a_one_line_config_error(tmp_path, text, splices):
    for at, piece in splices:  # random edits to otherwise valid YAML
        at %= len(text) + 1
        text = text[:at] + piece + text[at:]
    f = tmp_path / "params.yaml"
    f.write_bytes(text.encode("utf-8", "surrogatepass"))
    _assert_params_or_one_line_error(lambda: load_params(f), prefix=f"{f}: ", syntax_ok=True)


def test_yaml_exponents_without_a_dot_are_numbers_as_dvc_writes_them(tmp_path):
    """`dvc exp run -S tfidf.topic.alpha=1e-5` writes `alpha: 1e-05` (YAML 1.2); PyYAML alone (YAML 1.1) would read
    it as text. Quoted, it stays text and is refused."""
    f = tmp_path / "params.yaml"
    f.write_text("tfidf:\n  topic:\n    alpha: 1e-05\ntransformer:\n  topic:\n    learning_rate: 5E-5\n"
                 "  boilerplate:\n    head_learning_rate: .001\n")
    p = load_params(f)
    assert p.tfidf.topic.alpha == 1e-5 and p.transformer.topic.learning_rate == 5e-5
    assert p.transformer.boilerplate.head_learning_rate == 0.001
    f.write_text("tfidf:\n  topic:\n    alpha: '1e-05'\n")
    with pytest.raises(ConfigError, match=r"tfidf.topic.alpha: expected a number > 0, got '1e-05' \(text, not a "
                                          r"number: remove the quotes\)"):
        load_params(f)
