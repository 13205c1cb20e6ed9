import pytest

from newssift.data.cleaning import clean_records
from newssift.data.corpus import Record, Reject
from newssift.data.text import clean_text, count_lines, looks_binary, split_lines


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("donâ€™t stop", "don’t stop"),  # utf-8 read as cp1252
        ("Ã©tÃ© Ã  Paris", "été à Paris"),
        ("Ð¿Ñ€Ð¸Ð²ÐµÑ‚", "привет"),
        ("zero\u200bwidth\ufeff here", "zerowidth here"),
        ("bell\x07 and\x00 nul", "bell and nul"),
        ("tab\tseparated\t\tcells", "tab separated cells"),
        ("nbsp\u00a0and\u2003em space", "nbsp and em space"),
        ("  padded line   ", "padded line"),
        ("ﬁne ＦＵＬＬ width", "fine FULL width"),
        ("Fish &amp; chips", "Fish & chips"),
        ("Cafe\u0301", "Café"),
        ("lone \ud800 surrogate", "lone surrogate"),
        ("", ""),
    ],
)
def test_clean_text_repairs(raw, expected):
    assert clean_text(raw) == expected


def test_line_count_is_preserved_for_crlf_and_separators():
    raw = "first\r\nsecond\rthird\u2028still third\n\n\tlast "
    out = clean_text(raw)
    assert count_lines(raw) == count_lines(out) == 5
    assert split_lines(out) == ["first", "second", "third still third", "", "last"]


def test_huge_line_and_many_lines():
    huge = "word " * 400_000  # 2 MB on one line
    out = clean_text(huge)
    assert out == ("word " * 400_000).strip()
    many = "\n".join(["line"] * 50_000)
    assert count_lines(clean_text(many)) == 50_000


def test_idempotent_on_nasty_samples():
    for raw in ["donâ€™t", "a\r\n\r\nb", "x\u200b\u00a0y", "Ã\u00a0", "&amp;amp;", "\ufeff\ufeff", "ﬁ\tﬂ"]:
        once = clean_text(raw)
        assert clean_text(once) == once


def test_output_is_encodable():
    out = clean_text("bad \udcff surrogate and \x85 next-line")
    out.encode("utf-8")  # must not raise


def test_clean_text_rejects_non_string():
    with pytest.raises(TypeError):
        clean_text(b"bytes")


def test_looks_binary():
    assert looks_binary("abc\x00def")
    assert looks_binary("\x01\x02\x03\x04" * 10 + "text")
    assert not looks_binary("plain text with a tab\tand newline\n")


def _rec(i, text, topic="a", labels=None):
    return Record(f"r{i}", text, topic, labels, source=f"x.jsonl:{i}")


def test_clean_records_accounts_for_every_record():
    long = " ".join(f"Sentence {w} tells of the harbour budget, the council vote number {w}." for w in
                    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"])
    items = [
        _rec(1, long),
        _rec(2, long.upper()),  # exact duplicate after case folding
        _rec(3, "   \n  "),  # empty
        _rec(4, "tiny"),  # too short
        Reject("x.jsonl:5", "invalid_json", "not valid JSON"),
        _rec(1, long + " again"),  # duplicate id
        _rec(6, long.replace("number ten", "number eleven"), topic="a"),  # near duplicate of r1
        _rec(7, "Completely different text on another matter entirely, about rain and crops.", topic="a"),
        _rec(8, "Only one article of this topic exists in the whole corpus here.", topic="lonely"),
        _rec(9, "A third distinct article of topic a, on the ferry timetable and its new fares.", topic="a"),
    ]
    kept, rejects, report = clean_records(items, min_chars=20, near_duplicate_threshold=0.5)
    assert report["read"] == 10
    assert report["read"] == report["kept"] + report["rejected"] + report["duplicates"]
    assert [r.id for r in kept] == ["r1", "r6", "r7", "r9"]  # topic a: 3 distinct articles (r6 is r1's group)
    reasons = {(r.id, r.reason) for r in rejects}
    assert ("r2", "exact_duplicate") in reasons
    assert ("r3", "empty") in reasons
    assert ("r4", "too_short") in reasons
    assert ("r1", "duplicate_id") in reasons
    assert ("r8", "rare_topic") in reasons
    assert any(r.reason == "invalid_json" for r in rejects)
    assert kept[1].extra["near_duplicate_of"] == "r1"
    assert kept[0].extra["near_duplicate_of"] is None


def test_whitespace_normalisation_equals_the_line_by_line_definition():
    """`_normalize` only touches text where it has work (guarded regexes); on random strings over every kind of
    whitespace, break and invisible character it equals the plain definition: other breaks to spaces, invisible
    characters dropped, NFC, each run of whitespace in a line one space, lines stripped."""
    import random
    import re
    import unicodedata

    from newssift.data import text as t

    def reference(s: str) -> str:
        s = t.normalize_newlines(s).translate(t._TRANS)
        s = unicodedata.normalize("NFC", t._DROP_RE.sub("", s))
        s = re.sub(r"[^\S\n]+", " ", s)
        return "\n".join(line.strip(" ") for line in s.split("\n"))

    # the guard's list of other whitespace is exactly what str.isspace() and the regex \s count, but "\n" and " "
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace() and chr(c) not in "\n "]
    assert sorted(t._OTHER_SPACES) == spaces == [c for c in map(chr, range(0x110000))
                                                  if re.fullmatch(r"\s", c) and c not in "\n "]
    rng = random.Random(1)
    alphabet = " \t\n\r\x0b\x0c\x1c\x1f\x85\u2028\u2029\u00a0\u2009\u3000\u200b\u200d\x00ab\u00e9e\u0301"
    for _ in range(20_000):
        s = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert t._normalize(s) == reference(s), repr(s)
