"""The fuzz harness of bench/fuzz.py on a fixed budget: the corpus reader (arbitrary bytes, and structured corpora
in every promised encoding and line end), the labels reader (folders of .txt entries of every kind with a labels
file), the model loader (edited, retyped and damaged model folders) and ``newssift predict --input``.

Each target asserts: no uncaught exception, exit codes as documented, the counts add up (see bench/fuzz.py). The
inputs are derandomized, so CI tries the same ones on every run (``CI_BUDGET`` inputs per target, about a minute
in all); ``python bench/fuzz.py`` is the longer run, with its result in bench/results/fuzz.json.
"""
from __future__ import annotations

import sys

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings

sys.path.insert(0, str(ROOT / "bench"))
try:
    import fuzz
finally:
    sys.path.pop(0)


@pytest.mark.parametrize("name", sorted(fuzz.TARGETS))
def test_fuzz_target_on_the_ci_budget(name):
    strategy, check = fuzz.TARGETS[name]

    @settings(max_examples=fuzz.CI_BUDGET[name], derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(value):
        check(value)

    run()


def test_the_harness_finds_a_planted_bug(monkeypatch):
    """The targets can fail: with the reader's refusal of 4,301-digit integers taken out, jsonl_corpus reports the
    ValueError that escapes (and keeps counting instead of stopping)."""
    import json

    import newssift.data.corpus as corpus

    monkeypatch.setattr(corpus, "parse_json", lambda line: (json.loads(line), None))
    result = fuzz.fuzz("jsonl_corpus", 40)
    assert result["inputs_tried"] == 40 and result["failures"] > 0
    assert any("4300 digits" in s["error"] for s in result["failure_samples"])
