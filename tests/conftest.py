import random
from pathlib import Path

import pytest

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
