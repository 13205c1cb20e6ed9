"""Page-composition augmentation: composed pages are a header, a body and a footer of real pages, labels kept."""
import pytest

from newssift.data.augment import compose_pages, page_parts
from newssift.errors import ConfigError


def _page(name: str, head: int, body: list[int], foot: int):
    """A page named ``name``: ``head`` boilerplate lines, the body labels given, ``foot`` boilerplate lines."""
    labels = [1] * head + body + [1] * foot
    return [f"{name}:{k}" for k in range(len(labels))], labels


PAGES = [_page("a", 2, [0, 0, 1, 0], 3), _page("b", 0, [0, 1, 1, 0, 0], 1), _page("c", 4, [0], 0),
         _page("d", 3, [], 0)]  # d has no editorial line: never used
DOCS, LABELS = [p[0] for p in PAGES], [p[1] for p in PAGES]


def test_page_parts():
    assert page_parts([1, 1, 0, 1, 0, 1]) == (2, 5)
    assert page_parts([0]) == (0, 1)
    assert page_parts([1, 1]) is None and page_parts([]) is None


def test_composed_pages_are_header_body_footer_of_real_pages_with_their_labels():
    docs, labels = compose_pages(DOCS, LABELS, 40, seed=7)
    assert len(docs) == len(labels) == 40
    by_name = {d[0].split(":")[0]: (d, y) for d, y in zip(DOCS, LABELS) if d}
    bodies, mixed = set(), 0
    for doc, y in zip(docs, labels):
        assert len(doc) == len(y)
        first, end = page_parts(y)
        for lo, hi in ((0, first), (first, end), (end, len(doc))):  # header, body, footer
            part, ys = doc[lo:hi], y[lo:hi]
            names = {line.split(":")[0] for line in part}
            assert len(names) <= 1  # each part comes whole from one page
            if part:
                src_doc, src_y = by_name[names.pop()]
                i = src_doc.index(part[0])
                assert src_doc[i:i + len(part)] == part and src_y[i:i + len(part)] == ys  # labels travel with lines
        assert not any(line.startswith("d:") for line in doc)
        bodies.add(doc[first].split(":")[0])
        mixed += bool(first) and doc[0].split(":")[0] != doc[first].split(":")[0]
    assert bodies == {"a", "b", "c"} and mixed  # every usable page gives bodies; headers change page


def test_composition_is_seeded():
    assert compose_pages(DOCS, LABELS, 10, seed=1) == compose_pages(DOCS, LABELS, 10, seed=1)
    assert compose_pages(DOCS, LABELS, 10, seed=1) != compose_pages(DOCS, LABELS, 10, seed=2)


def test_nothing_to_compose():
    assert compose_pages(DOCS, LABELS, 0, seed=1) == ([], [])
    assert compose_pages(DOCS[:1] + DOCS[3:], LABELS[:1] + LABELS[3:], 5, seed=1) == ([], [])  # one usable page
    with pytest.raises(ConfigError, match="n must be >= 0"):
        compose_pages(DOCS, LABELS, -1, seed=1)
