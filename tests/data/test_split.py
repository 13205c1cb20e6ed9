import pytest

from newssift.data.split import SPLITS, split_rows
from newssift.errors import DataError


def _rows(n_per_topic=20, topics=("a", "b", "c")):
    rows = []
    for t in topics:
        for i in range(n_per_topic):
            rows.append({"id": f"{t}{i}", "topic": t, "near_duplicate_of": None})
    return rows


def test_split_is_stratified_complete_and_seeded():
    rows = _rows()
    parts = split_rows(rows, 0.15, 0.2, seed=1)
    ids = [r["id"] for s in SPLITS for r in parts[s]]
    assert sorted(ids) == sorted(r["id"] for r in rows)  # a partition: nothing lost, nothing twice
    for s in SPLITS:
        assert {r["topic"] for r in parts[s]} == {"a", "b", "c"}
    assert 8 <= len(parts["test"]) <= 16
    again = split_rows(rows, 0.15, 0.2, seed=1)
    assert again == parts
    other = split_rows(rows, 0.15, 0.2, seed=2)
    assert other != parts


def test_near_duplicates_never_cross_splits():
    rows = _rows()
    for i in range(1, 6):  # a0..a5 form one group
        rows[i]["near_duplicate_of"] = "a0"
    parts = split_rows(rows, 0.15, 0.2, seed=3)
    where = {r["id"]: s for s in SPLITS for r in parts[s]}
    assert len({where[f"a{i}"] for i in range(6)}) == 1


def test_too_few_examples_is_a_clear_error():
    rows = _rows(n_per_topic=20, topics=("a", "b")) + [{"id": "c0", "topic": "c"}, {"id": "c1", "topic": "c"}]
    with pytest.raises(DataError, match="'c': 2"):
        split_rows(rows, 0.15, 0.2, seed=0)
    with pytest.raises(DataError, match="at least 3"):
        split_rows(rows[:2], 0.15, 0.2, seed=0)
