"""Stage ``sample``: write the synthetic sample corpus."""
from __future__ import annotations

from newssift.config import Params
from newssift.constants import SAMPLE
from newssift.stages import say


def run(params: Params) -> None:
    from newssift.synthetic.generator import write_corpus

    n = write_corpus(SAMPLE, n_articles=params.sample.n_articles, seed=params.sample.seed)
    say(f"sample: wrote {n} articles to {SAMPLE}")
