"""The README's example: a news article followed by an appended vendor advertisement ("Our Services", a list of
services, "Author: <company>", blank lines, "Published: ...") comes out with the appended block removed by a
TF-IDF boilerplate model trained on the project's own sample corpus, as the README shows."""
from __future__ import annotations

from pathlib import Path

from newssift.data.text import clean_text, split_lines
from newssift.models.tfidf import TfidfBoilerplateClassifier
from newssift.synthetic.generator import generate_corpus

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "seed_article.txt"


def test_appended_vendor_block_is_removed():
    rows = [r for r in generate_corpus(160, seed=13)]
    docs = [split_lines(clean_text(r["text"])) for r in rows]
    labels = [r["line_labels"] for r in rows]
    model = TfidfBoilerplateClassifier()
    model.fit(docs[:130], labels[:130], docs[130:], labels[130:])

    lines = split_lines(clean_text(EXAMPLE.read_text(encoding="utf-8")))
    (flags,) = model.predict([lines])
    body = [i for i, ln in enumerate(lines) if len(ln) > 120]  # the four paragraphs of the article
    assert len(body) == 4
    assert not any(flags[i] for i in body), "an editorial paragraph was cut"
    ad_start = lines.index("Recommended Videos")
    assert all(flags[ad_start:]), [ln for ln, f in zip(lines[ad_start:], flags[ad_start:]) if not f]
    editorial = "\n".join(ln for ln, f in zip(lines, flags) if not f)
    for junk in ("Our Services", "Author: BrightFix", "Published: Nov 20, 2025", "Roof repairs"):
        assert junk not in editorial


def test_readme_shows_the_example():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_body = next(ln for ln in EXAMPLE.read_text(encoding="utf-8").splitlines() if len(ln) > 120)
    assert first_body[:60] in readme and "examples/seed_article.txt" in readme
