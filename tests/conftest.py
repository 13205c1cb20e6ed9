import json
import random
import string
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from newssift.files import write_jsonl

ROOT = Path(__file__).resolve().parents[1]

_TOPIC_WORDS = {
    "sport": "match goal striker coach league season injury final referee stadium",
    "business": "shares profit market investors quarter revenue bank merger prices growth",
    "science": "researchers study cells climate telescope experiment species data laboratory energy",
}
_BOILER = ["Photo by {n}/Getty Images", "Recommended Videos", "Share this article", "Published: Nov {d}, 2025",
           "Sign up for our newsletter", "Read more: {n} on the {w}", "Advertisement", "© 2025 Daily {n}",
           "Author: {n} Services Ltd", "- {w} repair and cleaning", "Follow us on social media"]


def make_article(rng: random.Random, topic: str) -> tuple[list[str], list[int]]:
    words = _TOPIC_WORDS[topic].split()
    lines, labels = [], []
    for _ in range(rng.randint(1, 3)):
        lines.append(rng.choice(_BOILER).format(n=rng.choice(["Ann Lee", "Bo Chan", "Cy Diaz"]),
                                                 d=rng.randint(1, 28), w=rng.choice(words)))
        labels.append(1)
    for _ in range(rng.randint(3, 5)):
        sent = " ".join(rng.choice(words + ["the", "and", "of", "a", "said", "on"]) for _ in range(rng.randint(14, 28)))
        lines.append(sent.capitalize() + ".")
        labels.append(0)
    for _ in range(rng.randint(1, 4)):
        lines.append(rng.choice(_BOILER).format(n="Zed", d=rng.randint(1, 28), w=rng.choice(words)))
        labels.append(1)
    return lines, labels


def make_corpus(n: int = 60, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    topics = sorted(_TOPIC_WORDS)
    rows = []
    for i in range(n):
        topic = topics[i % len(topics)]
        lines, labels = make_article(rng, topic)
        rows.append({"id": f"doc{i:03d}", "text": "\n".join(lines), "topic": topic, "line_labels": labels})
    return rows


@pytest.fixture
def project_root() -> Path:
    return ROOT


@pytest.fixture
def tiny_corpus() -> list[dict]:
    return make_corpus()


# ---- tiny transformer models (no downloads) ---------------------------------------------------------------------

WORDS = ("the and of a said on match goal striker coach league season shares profit market investors bank "
         "researchers study cells climate data photo share article newsletter advertisement follow us by").split()


def build_tiny_bert(folder):
    """A 2-layer, 32-wide BERT with a character-level WordPiece vocabulary (plus a few whole words)."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizer

    chars = string.ascii_lowercase + string.digits
    vocab = (["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + list(chars + string.punctuation + "©")
             + ["##" + c for c in chars] + WORDS)
    vocab = list(dict.fromkeys(vocab))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizer(vocab=str(folder / "vocab.txt"))
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=37, max_position_embeddings=128)
    BertModel(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def make_transformer_params(base, **task):
    """TransformerParams for quick CPU tests on the tiny BERT (both tasks share ``task``'s training settings)."""
    from newssift.config import (
        TransformerBoilerplateParams,
        TransformerParams,
        TransformerTopicParams,
    )

    augment = task.pop("augment_pages", 0.0)  # composed pages off unless asked: tiny tests stay tiny
    settings = {"epochs": 3.0, "learning_rate": 3e-3, "batch_size": 8, "early_stopping_patience": 0, **task}
    return TransformerParams(base_model=str(base), warmup_ratio=0.0, seed=0, device="cpu",
                             quantize="none", mixed_precision="auto",
                             topic=TransformerTopicParams(max_length=64, **settings),
                             boilerplate=TransformerBoilerplateParams(head_learning_rate=3e-3, context_dim=32,
                                                                      char_ngram_buckets=4096, char_ngram_dim=8,
                                                                      augment_pages=augment, **settings))


def train_tiny_tfidf(root: Path, rows: list[dict] | None = None) -> Path:
    """<root>/tfidf/{boilerplate,topic}: TF-IDF models trained on ``rows`` (default ``make_corpus(60)``) with small
    vocabularies, in a few seconds. Returns ``root``."""
    from newssift.models.tfidf import TfidfBoilerplateClassifier, TfidfTopicClassifier

    rows = make_corpus(60) if rows is None else rows
    docs = [r["text"].split("\n") for r in rows]
    labels = [r["line_labels"] for r in rows]
    n_train = len(rows) * 3 // 4
    bp = TfidfBoilerplateClassifier(n_features=2048)
    bp.fit(docs[:n_train], labels[:n_train], docs[n_train:], labels[n_train:])
    bp.save(root / "tfidf" / "boilerplate")
    editorial = ["\n".join(ln for ln, y in zip(d, lab) if not y) for d, lab in zip(docs, labels)]
    TfidfTopicClassifier(n_features=2048).fit(editorial, [r["topic"] for r in rows]).save(
        root / "tfidf" / "topic")
    return root


def run_cli(*args: str, stdin: bytes | None = None, importtime: bool = False, cwd=None,
            timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``python -m newssift ARGS`` (in ``cwd``): ``proc.out``/``proc.err`` are its decoded output, and it must
    never print a traceback; with ``importtime``, ``proc.imported`` lists the modules it imported
    (from ``-X importtime``, whose lines are removed from ``proc.err``)."""
    flags = ["-X", "importtime"] if importtime else []
    proc = subprocess.run([sys.executable, *flags, "-m", "newssift", *args], input=stdin, capture_output=True,
                          timeout=timeout, cwd=cwd)
    proc.out = proc.stdout.decode("utf-8")
    err = proc.stderr.decode("utf-8").splitlines(keepends=True)
    proc.imported = {line.rsplit("|", 1)[1].strip() for line in err if line.startswith("import time:")}
    proc.err = "".join(line for line in err if not line.startswith("import time:"))
    assert "Traceback" not in proc.err, proc.err
    return proc


def tiny_params(corpus: str, **transformer) -> dict:
    raw = yaml.safe_load((ROOT / "params.yaml").read_text())
    raw["data"]["corpus"] = corpus
    raw["tfidf"]["topic"]["n_features"] = 4096
    raw["tfidf"]["boilerplate"]["n_features"] = 4096
    raw["transformer"].update(transformer or {"enabled": False})
    return raw


def corpus_with_junk(path):
    rows = make_corpus(72, seed=5)
    rows.append(dict(rows[0], id="dup-of-0"))  # exact duplicate
    write_jsonl(path, rows)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("{this is not json\n")
        fh.write(json.dumps({"id": "empty", "text": "   "}) + "\n")
    return len(rows) + 2


@pytest.fixture
def dvc_project(tmp_path):
    """A copy of the real pipeline (dvc.yaml, src/) on :func:`corpus_with_junk` with :func:`tiny_params`, in a
    folder of its own; returns ``(folder, run)`` where ``run(*cmd)`` runs a command there (the venv's
    ``newssift`` and ``dvc`` first on PATH) and returns its stdout, failing the test on a non-zero exit."""
    import os
    import shutil

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    work = tmp_path / "proj"
    work.mkdir()
    for name in ("dvc.yaml", ".dvcignore"):
        shutil.copy(ROOT / name, work / name)
    shutil.copytree(ROOT / "src", work / "src", ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    corpus_with_junk(work / "corpus.jsonl")
    (work / "params.yaml").write_text(yaml.safe_dump(tiny_params("corpus.jsonl")))
    env = dict(os.environ, DVC_NO_ANALYTICS="1", GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@t")
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")

    def run(*cmd):
        res = subprocess.run(cmd, cwd=work, env=env, capture_output=True, text=True, timeout=600)
        assert res.returncode == 0, f"{cmd} failed:\n{res.stdout}\n{res.stderr}"
        return res.stdout

    return work, run


def write_rows(path, rows: list[dict]) -> None:
    """A split (``data/split/``) or articles (``data/articles/``) Parquet file as the stages write it, for tests
    that start in the middle of the pipeline."""
    from newssift.data.corpus import RECORD_COLUMNS
    from newssift.files import write_parquet
    from newssift.stages.split_articles import ARTICLE_COLUMNS

    write_parquet(path, rows, ARTICLE_COLUMNS if "articles" in Path(path).parts else RECORD_COLUMNS)


def rewrite_manifest(folder: Path, manifest: dict) -> None:
    """Write ``manifest`` into ``folder`` with its checksum recomputed, as a deliberate forger (or a buggy writer)
    would: the manifest is intact again, and only its fields' own checks stand in the way."""
    from newssift.artifacts import DIGEST_FIELD, manifest_digest, manifest_text

    manifest = {k: v for k, v in manifest.items() if k != DIGEST_FIELD}
    (Path(folder) / "manifest.json").write_text(manifest_text({**manifest, DIGEST_FIELD: manifest_digest(manifest)}),
                                                encoding="ascii")
