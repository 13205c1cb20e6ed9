import numpy as np
import pytest

from newssift.evaluation import boilerplate_metrics, token_f1, topic_metrics
from newssift.models.smoothing import (
    article_span,
    article_span_many,
    estimate_transitions,
    forward_backward,
    forward_backward_many,
)
from newssift.models.threshold import (
    tune_smoothing_and_threshold,
    tune_span,
    tune_threshold,
    validation_score,
)


def test_token_f1():
    assert token_f1("the cat sat", "the cat sat") == 1.0
    assert token_f1("", "") == 1.0
    assert token_f1("dog", "cat") == 0.0
    assert token_f1("the cat", "the cat sat on") == pytest.approx(2 * 1 * 0.5 / 1.5)


def test_topic_metrics():
    m = topic_metrics(["a", "a", "b", "b"], ["a", "b", "b", "b"], ["a", "b"])
    assert m["accuracy"] == 0.75
    assert m["per_class_f1"]["a"] == pytest.approx(2 / 3)
    assert 0 < m["macro_f1"] < 1


def test_boilerplate_metrics_perfect_and_weighted():
    docs = [["Menu", "A long editorial sentence here.", "Share"], ["Body text line.", "Ad"]]
    gold = [[1, 0, 1], [0, 1]]
    perfect = [np.array([0.9, 0.1, 0.8]), np.array([0.2, 0.7])]
    m = boilerplate_metrics(docs, gold, perfect, 0.5)
    assert m["editorial_f1"] == m["boilerplate_f1"] == m["editorial_token_f1"] == 1.0
    assert m["pr_auc_boilerplate"] == 1.0
    wrong_long = [np.array([0.9, 0.9, 0.8]), np.array([0.2, 0.7])]  # drops the long editorial line
    m2 = boilerplate_metrics(docs, gold, wrong_long, 0.5)
    assert m2["editorial_f1_length_weighted"] < m2["editorial_f1"]
    assert m2["editorial_token_f1"] < 1.0


def test_tune_threshold_finds_separating_value():
    gold = [[0, 0, 1, 1]]
    proba = [np.array([0.1, 0.2, 0.35, 0.4])]
    t = tune_threshold(gold, proba)
    assert 0.2 < t <= 0.35


def test_the_tuner_picks_the_strength_whose_validation_score_is_best():
    """tune_smoothing_and_threshold keeps the strength (with its own tuned threshold) of the best macro-F1 over
    lines, validation_score being that macro-F1; with one class only, nothing is tuned."""
    gold = [[0, 0, 1, 1], [1, 0, 1]]
    raw = [np.array([0.2, 0.6, 0.7, 0.9]), np.array([0.8, 0.3, 0.65])]
    # strength 0 keeps the raw scores; strength 1 here stands for a smoother that flattens every line to 0.5
    smooth = lambda probs, s: [p.copy() if s == 0 else np.full(len(p), 0.5) for p in probs]  # noqa: E731
    strength, t, probs = tune_smoothing_and_threshold(gold, raw, smooth, (1.0, 0.0))
    assert strength == 0.0 and validation_score(gold, probs, t) == 1.0
    assert validation_score(gold, raw, 0.5) == pytest.approx((4 / 5 + 8 / 9) / 2)  # the 0.6 editorial line missed
    assert tune_smoothing_and_threshold([[1, 1]], [np.array([0.1, 0.2])], smooth, (1.0, 0.0))[:2] == (1.0, 0.5)


def test_forward_backward_smooths_an_isolated_dip():
    start, trans = estimate_transitions([[1] * 10 + [0] * 10] * 20)
    p = np.array([0.9, 0.9, 0.9, 0.45, 0.9, 0.9, 0.1, 0.1, 0.1])
    post = forward_backward(p, start, trans, np.array([0.5, 0.5]), strength=1.0)
    assert post.shape == p.shape
    assert post[3] > 0.5  # the uncertain line inside a boilerplate run joins the run
    assert post[-1] < 0.5
    assert np.allclose(forward_backward(p, start, trans, np.array([0.5, 0.5]), strength=0.0), p)
    assert forward_backward(np.array([]), start, trans, np.array([0.5, 0.5])).shape == (0,)


def _posterior_by_enumeration(p, start, trans, prior):
    """P(state 1 | all lines) of each line by summing over every state sequence (short sequences only)."""
    import itertools

    e = np.stack([np.clip(1 - p, 1e-9, 1) / prior[0], np.clip(p, 1e-9, 1) / prior[1]], axis=1)
    num, den = np.zeros(len(p)), 0.0
    for seq in itertools.product((0, 1), repeat=len(p)):
        w = start[seq[0]] * e[0, seq[0]]
        for t in range(1, len(p)):
            w *= trans[seq[t - 1], seq[t]] * e[t, seq[t]]
        den += w
        num += w * np.array(seq)
    return num / den


def test_forward_backward_many_computes_nothing_invalid_past_an_articles_end(monkeypatch):
    """The padding past a shorter article's end never holds garbage: with uninitialised buffers holding NaN,
    a ragged batch of extreme probabilities runs with every floating-point warning raised as an error."""
    start, trans, prior = np.array([0.4, 0.6]), np.array([[0.85, 0.15], [0.3, 0.7]]), np.array([0.55, 0.45])
    real_empty_like = np.empty_like

    def nan_empty_like(a, *args, **kwargs):  # what uninitialised memory may hold: a signalling NaN
        out = real_empty_like(a, *args, **kwargs)
        out.view(np.uint64).fill(0x7FF0000000000001)
        return out

    monkeypatch.setattr(np, "empty_like", nan_empty_like)
    docs = [np.array([0.0, 1.0, 1.0, 0.0, 1.0]), np.array([1.0]), np.array([0.0, 0.0]), np.zeros(0)]
    with np.errstate(all="raise"):
        got = forward_backward_many(docs, start, trans, prior)
    assert all(np.isfinite(g).all() and len(g) == len(d) for g, d in zip(got, docs))


def test_forward_backward_many_is_exact_per_article_in_a_ragged_batch():
    """Articles of different lengths (empty, one line, long) smoothed together get exactly what each gets alone,
    and that is the posterior computed by brute force over every state sequence."""
    rng = np.random.default_rng(3)
    start, trans, prior = np.array([0.4, 0.6]), np.array([[0.85, 0.15], [0.3, 0.7]]), np.array([0.55, 0.45])
    docs = [rng.random(n) for n in (7, 0, 1, 12, 3, 7, 40)]
    together = forward_backward_many(docs, start, trans, prior)
    assert [len(x) for x in together] == [len(d) for d in docs]
    for d, got in zip(docs, together):
        np.testing.assert_array_equal(got, forward_backward_many([d], start, trans, prior)[0])
        if 0 < len(d) <= 12:
            np.testing.assert_allclose(got, _posterior_by_enumeration(d, start, trans, prior), rtol=1e-9)
    assert forward_backward_many([], start, trans, prior) == []
    flat = forward_backward_many(docs, start, trans, prior, strength=0.0)
    assert all(np.array_equal(a, b) for a, b in zip(flat, docs))


def _logit(p):
    return np.log(p) - np.log1p(-p)


@pytest.mark.parametrize("seed", range(20))
def test_article_span_is_the_best_span_by_brute_force(seed):
    """The decoded span is the one with the largest sum of editorial log-odds (checked over every span); outside it
    every line is boilerplate at the threshold, inside it a line is editorial unless its boilerplate log-odds pass
    the threshold's by more than the margin; blank lines keep their probability."""
    rng = np.random.default_rng(seed)
    n, t, margin = int(rng.integers(1, 30)), float(rng.uniform(0.2, 0.8)), float(rng.choice([0.0, 1.0, 2.0]))
    p = rng.uniform(0.01, 0.99, n)
    blank = rng.random(n) < 0.1
    gain = np.where(blank, 0.0, _logit(t) - _logit(p))
    sums = {(a, b): gain[a:b + 1].sum() for a in range(n) for b in range(a, n)}
    best = max(sums.values())
    out = article_span(p, t, margin, blank)
    np.testing.assert_array_equal(out[blank], p[blank])
    if best <= 0:  # no editorial line: nothing changes
        np.testing.assert_array_equal(out, p)
        return
    b, a = min((b, a) for (a, b), v in sums.items() if v >= best - 1e-9)  # ties (blank lines): earliest end, longest
    assert gain[a:b + 1].sum() == pytest.approx(best)
    inside = np.zeros(n, bool)
    inside[a:b + 1] = True
    editorial = out < t
    assert not editorial[~inside & ~blank].any()  # outside the span: boilerplate
    want = inside & ~blank & (_logit(p) - margin < _logit(t))
    np.testing.assert_array_equal(editorial[~blank], want[~blank])
    np.testing.assert_allclose(out[inside & ~blank], 1 / (1 + np.exp(-(_logit(p) - margin)))[inside & ~blank])


def test_article_span_keeps_a_body_together_and_drops_stray_editorial_guesses():
    """A body whose short lines the model missed becomes editorial; a confident caption inside stays out; a
    lone editorial-looking teaser far below the body becomes boilerplate."""
    doc = ["Menu", "Sign in", "Long paragraph one.", "Short line", "Photo: A. Person", "Long paragraph two.",
           "", "Related", "Teaser text", "Footer"]
    p = np.array([0.99, 0.98, 0.01, 0.7, 0.95, 0.01, 0.9, 0.97, 0.4, 0.99])
    out = article_span_many([doc], [p], 0.5, 2.0)[0]
    assert (out < 0.5).tolist() == [False, False, True, True, False, True, False, False, False, False]
    assert out[6] == 0.9  # the blank line keeps its probability
    assert article_span_many([["a", "b"]], [np.array([0.9, 0.8])], 0.5, 2.0)[0].tolist() == [0.9, 0.8]


def test_tune_span_turns_it_on_only_where_validation_gains():
    """span: tune -- on when the decoded validation lines score higher, off on a tie or a loss, and off without
    both classes; true and false are taken as given."""
    doc = ["nav", "body", "short", "body", "more body", "ad", "teaser"]
    gold = [[1, 0, 0, 0, 0, 1, 1]]
    helped = [np.array([0.9, 0.1, 0.6, 0.1, 0.2, 0.9, 0.3])]  # a missed short body line, a stray teaser
    hurt = [np.array([0.9, 0.1, 0.1, 0.99, 0.99, 0.99, 0.1])]  # a second body block after a long ad: span cuts it
    hurt_gold = [[1, 0, 0, 1, 1, 1, 0]]
    assert validation_score(gold, article_span_many([doc], helped, 0.5, 2.0), 0.5) > validation_score(gold, helped, 0.5)
    assert tune_span([doc], gold, helped, 0.5, 2.0) is True
    assert tune_span([doc], hurt_gold, hurt, 0.5, 2.0) is False
    assert tune_span([doc], [[1] * 7], helped, 0.5, 2.0) is False
    assert tune_span([doc], hurt_gold, hurt, 0.5, 2.0, span=True) is True
    assert tune_span([doc], gold, helped, 0.5, 2.0, span=False) is False
