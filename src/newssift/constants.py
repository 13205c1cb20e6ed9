"""Names and fixed paths shared across the package, each defined once. Importing this module is cheap (no
scikit-learn, no torch), so the command line can build its ``--help`` from it."""
from __future__ import annotations

from pathlib import Path

FAMILIES = ("tfidf", "transformer")  # model families, in the order they are evaluated
TASKS = ("topic", "boilerplate")
DEFAULT_MAX_CHARS = 5_000_000  # the longest article (in characters) inference accepts by default
DEFAULT_BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2"  # the encoder both transformer models fine-tune
MAX_HASH_FEATURES = 1 << 24  # hashed features of one TF-IDF n-gram block at most
# Inference remembers per-line features across batches (lines repeat across a site's articles: menus, share
# prompts, footers); these bound that memory (a few hundred MB at most per process); each memo restarts when full
MEMO_LINES = 50_000  # lines remembered per memo: n-gram rows, shape features, per-model n-gram decision parts
MEMO_LINE_CHARS = 500  # longer lines (and whole articles) are not remembered
MEMO_MODELS = 4  # fitted models whose per-line results are remembered (the most recently used), per kind
MEMO_WORDS = 200_000  # words whose character n-gram rows are remembered, per setting
TAGGER_CONTEXT_HEADS = 4  # attention heads of the line tagger's transformer context (context_dim: a multiple)

# The pipeline's files, relative to the repository root (the same paths as in dvc.yaml)
SAMPLE = Path("data/sample/corpus.jsonl")
CLEAN = Path("data/clean/corpus.parquet")
REJECTS = Path("data/rejects.jsonl")
CLEAN_REPORT = Path("reports/clean.json")
SPLIT_DIR = Path("data/split")
ARTICLES_DIR = Path("data/articles")
TEXT_SPLIT = ARTICLES_DIR / "text_split.json"  # how split_articles cut the text (the topic models record it)
NO_SPLIT = "none"  # a text split that keeps every line (full text): no boilerplate model
TABLE_SUFFIX = ".parquet"  # the stage outputs clean, split and articles are Parquet (rejects stay JSONL)
MODELS = Path("models")
EVAL_DIR = Path("eval")
TRAIN_LOGS = Path("dvclive")
SUMMARY = Path("reports/summary.md")
UNTRAINED = "DISABLED"  # the file of a model folder that holds no model, saying why (nothing to train, disabled)
