"""Tests for the shipped synthetic sample corpus (newssift.synthetic.generator)."""

from __future__ import annotations

import collections
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newssift.synthetic import generator as sample
from newssift.synthetic.generator import (
    TOPICS,
    compose_article,
    generate_corpus,
    main,
    write_corpus,
)

SRC = Path(sample.__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return generate_corpus()


def _lines(rec: dict) -> list[str]:
    return rec["text"].split("\n")


def _editorial_words(rec: dict) -> int:
    return sum(len(ln.split()) for ln, lab in zip(_lines(rec), rec["line_labels"]) if lab == 0)


def _is_ad(rec: dict) -> bool:
    headers = {"our services", "what we offer", "services include", "we specialise in", "services",
               "what we do", "how we can help", "our expertise", "our services include"}
    return any(ln.strip().lower().rstrip(":") in headers for ln in _lines(rec))


# -- determinism --------------------------------------------------------------------------------


def test_deterministic_same_seed(corpus):
    assert generate_corpus() == corpus
    assert generate_corpus(40, seed=5) == generate_corpus(40, seed=5)


def test_different_seed_differs(corpus):
    other = generate_corpus(seed=14)
    assert [r["text"] for r in other] != [r["text"] for r in corpus]


def test_deterministic_across_processes(corpus):
    # str hashing is randomised per process; the corpus must not depend on it
    code = "import json,sys; from newssift.synthetic.generator import generate_corpus; print(json.dumps(generate_corpus(30)))"
    outs = []
    for hashseed in ("1", "2"):
        env = {"PYTHONPATH": str(SRC), "PYTHONHASHSEED": hashseed, "PATH": ""}
        res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        outs.append(res.stdout)
    assert outs[0] == outs[1]
    assert json.loads(outs[0]) == generate_corpus(30)


# -- shape and balance ----------------------------------------------------------------------------


def test_size_ids_and_fields(corpus):
    assert len(corpus) >= 240
    assert len(corpus) == 320
    assert len({r["id"] for r in corpus}) == len(corpus)
    for r in corpus:
        assert set(r) == {"id", "text", "topic", "line_labels"}
        assert r["topic"] in TOPICS


def test_topics_balanced(corpus):
    assert len(TOPICS) == 8
    counts = collections.Counter(r["topic"] for r in corpus)
    assert len(counts) >= 6
    assert set(counts) == set(TOPICS)
    assert max(counts.values()) <= 1.5 * min(counts.values())


def test_small_corpus_sizes():
    for n in (1, 3, 8, 25):
        recs = generate_corpus(n, seed=3)
        assert len(recs) == n
        assert len({r["id"] for r in recs}) == n


# -- labels -----------------------------------------------------------------------------------------


def test_labels_align_with_lines(corpus):
    for r in corpus:
        lines = _lines(r)
        assert len(lines) == len(r["line_labels"]), r["id"]
        assert set(r["line_labels"]) <= {0, 1}
        # no stray line-break characters: splitlines() agrees with split("\n")
        assert lines == r["text"].splitlines(), r["id"]
        assert lines[0].strip() and lines[-1].strip(), r["id"]


def test_blank_line_rule(corpus):
    for r in corpus:
        lines, labels = _lines(r), r["line_labels"]
        nonblank = [i for i, ln in enumerate(lines) if ln.strip()]
        for i, ln in enumerate(lines):
            if ln.strip():
                continue
            above = max((j for j in nonblank if j < i), default=None)
            below = min((j for j in nonblank if j > i), default=None)
            expected = 0 if above is not None and below is not None and labels[above] == labels[below] == 0 else 1
            assert labels[i] == expected, (r["id"], i)


def test_editorial_word_counts(corpus):
    counts = [_editorial_words(r) for r in corpus]
    in_range = sum(120 <= c <= 600 for c in counts)
    assert in_range >= 0.97 * len(corpus)
    assert 200 <= sum(counts) / len(counts) <= 450


def test_both_classes_in_most_articles(corpus):
    both = sum(1 for r in corpus if {0, 1} <= set(r["line_labels"]))
    assert both >= 0.9 * len(corpus)


def test_ad_block_share(corpus):
    share = sum(_is_ad(r) for r in corpus) / len(corpus)
    assert 0.35 <= share <= 0.65


def test_many_distinct_boilerplate_lines(corpus):
    distinct = {
        ln.strip() for r in corpus for ln, lab in zip(_lines(r), r["line_labels"]) if lab == 1 and ln.strip()
    }
    assert len(distinct) > 1000


def test_hard_cases_present(corpus):
    short_editorial = long_boilerplate = 0
    for r in corpus:
        for ln, lab in zip(_lines(r), r["line_labels"]):
            n = len(ln.split())
            if lab == 0 and 0 < n <= 6:
                short_editorial += 1
            if lab == 1 and n >= 30:
                long_boilerplate += 1
    assert short_editorial >= 100
    assert long_boilerplate >= 100


def test_typical_boilerplate_is_labelled_1(corpus):
    pattern = re.compile(r"^(Photo by |Published:|Updated:|Author: |Our services:|Recommended Videos|Read more:|Related:)")
    seen = 0
    for r in corpus:
        for ln, lab in zip(_lines(r), r["line_labels"]):
            if pattern.match(ln):
                assert lab == 1, (r["id"], ln)
                seen += 1
    assert seen > 100


# -- noise and duplicates -------------------------------------------------------------------------


def test_noise_for_clean_stage(corpus):
    texts = [r["text"] for r in corpus]
    moji = sum("â€" in t or "Â" in t for t in texts)
    assert 3 <= moji <= 0.08 * len(corpus)
    assert any("\u00a0" in t for t in texts)
    assert any("\u200b" in t for t in texts)
    assert any("  " in t for t in texts)
    assert any(re.search(r"\S[ \t]+\n", t) for t in texts)


def test_exact_and_near_duplicates(corpus):
    by_text = collections.defaultdict(list)
    for r in corpus:
        by_text[r["text"]].append(r)
    groups = [g for g in by_text.values() if len(g) > 1]
    assert 3 <= len(groups) <= 0.04 * len(corpus)
    for g in groups:
        assert all(x["line_labels"] == g[0]["line_labels"] and x["topic"] == g[0]["topic"] for x in g)

    def shingles(r):
        toks = re.findall(r"\w+", r["text"].lower())
        return {tuple(toks[i : i + 5]) for i in range(len(toks) - 4)}

    by_topic = collections.defaultdict(list)  # near duplicates keep their topic
    for g in by_text.values():
        by_topic[g[0]["topic"]].append(shingles(g[0]))
    near = 0
    for sh in by_topic.values():
        for i in range(len(sh)):
            for j in range(i + 1, len(sh)):
                a, b = sh[i], sh[j]
                if min(len(a), len(b)) > 0.8 * max(len(a), len(b)) and len(a & b) > 0.8 * len(a | b):
                    near += 1
    assert 3 <= near <= 0.04 * len(corpus)


# -- compose_article --------------------------------------------------------------------------------


def test_compose_keeps_paragraphs_in_order():
    paras = [f"Paragraph number {i} says something about the council budget and the weather." for i in range(7)]
    for seed in range(30):
        rng = random.Random(seed)
        lines, labels = compose_article(paras, rng, headline="A headline for the story")
        assert len(lines) == len(labels)
        editorial = [ln for ln, lab in zip(lines, labels) if lab == 0 and ln.strip()]
        assert editorial == ["A headline for the story"] + paras
        for p in paras:
            assert labels[lines.index(p)] == 0
        assert 1 in labels


def test_compose_single_paragraph_and_options():
    for seed in range(20):
        for style in sample.PAGE_STYLES:
            rng = random.Random(seed)
            lines, labels = compose_article(["Only one paragraph here."], rng, style=style, ad_block=True)
            assert len(lines) == len(labels)
            assert [ln for ln, lab in zip(lines, labels) if lab == 0 and ln.strip()] == ["Only one paragraph here."]
            assert lines[0].strip() and lines[-1].strip()
    lines, labels = compose_article(["x y z"], random.Random(1), ad_block=False, style="minimal")
    assert labels[lines.index("x y z")] == 0
    with pytest.raises(ValueError):
        compose_article(["x"], random.Random(1), style="nope")


def test_compose_ad_block_flag():
    with_ad = sum(_is_ad({"text": "\n".join(compose_article(["p1", "p2"], random.Random(s), ad_block=True)[0])})
                  for s in range(40))
    without = sum(_is_ad({"text": "\n".join(compose_article(["p1", "p2"], random.Random(s), ad_block=False)[0])})
                  for s in range(40))
    assert with_ad == 40
    assert without == 0


def test_compose_multiline_and_real_text():
    paras = ["First real paragraph.\nIt continues on a second line.", "Second paragraph."]
    lines, labels = compose_article(paras, random.Random(3), topic="business")
    text = "\n".join(lines)
    assert "First real paragraph.\nIt continues on a second line." in text
    for piece in ("First real paragraph.", "It continues on a second line.", "Second paragraph."):
        assert labels[lines.index(piece)] == 0


# -- output -------------------------------------------------------------------------------------------


def test_write_corpus_and_main(tmp_path, capsys):
    out = tmp_path / "nested" / "dir" / "corpus.jsonl"
    assert write_corpus(out, n_articles=30, seed=2) == 30
    raw = out.read_bytes()
    assert b"\r" not in raw
    rows = [json.loads(line) for line in raw.decode("utf-8").split("\n") if line]
    assert rows == generate_corpus(30, seed=2)

    out2 = tmp_path / "m" / "c.jsonl"
    assert main(["--output", str(out2), "--n-articles", "12", "--seed", "4"]) == 0
    assert len(out2.read_text(encoding="utf-8").splitlines()) == 12
    assert "12" in capsys.readouterr().out


# -- bank -----------------------------------------------------------------------------------------------


def test_bank_templates_fill_and_sizes():
    from newssift.synthetic import bank as B

    assert set(B.BANK) == set(TOPICS)
    for topic, bank in B.BANK.items():
        assert len(bank["ledes"]) + len(bank["body"]) + len(bank["quotes"]) >= 25
        for kind, templates in bank.items():
            for t in templates:
                slots = sample._Slots(random.Random(0))
                filled = t.format_map(slots)
                assert "{" not in filled and "}" not in filled, (topic, kind, t)
        for opening, heads, body, quotes in B.STORIES[topic]:
            pool = bank["ledes"] if opening[0] == "L" else bank["body"]
            assert 0 <= int(opening[1:]) < len(pool)
            assert all(0 <= i < len(bank["headlines"]) for i in heads) and heads
            assert all(0 <= i < len(bank["body"]) for i in body)
            assert all(0 <= i < len(bank["quotes"]) for i in quotes)
        assert len(B.LIST_GROUPS[topic]) == len(bank["list_intros"])
        for n_words in (len(p.split()) for p in bank["body"]):
            assert 25 <= n_words <= 90
