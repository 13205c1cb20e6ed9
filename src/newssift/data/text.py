"""Text cleaning shared by training and inference: encoding repair, Unicode and whitespace normalisation.

:func:`clean_text` never changes the number of lines, so per-line labels stay aligned. A *line* is what lies
between ``\\n``, ``\\r\\n`` or ``\\r`` (see :func:`split_lines`). Within a line:

- mojibake and other encoding damage is repaired by ftfy (``donâ€™t`` -> ``don't``), ligatures and full-width
  characters are folded, HTML entities are unescaped in text that holds no markup;
- text is NFC-normalised;
- control and invisible format characters (zero-width spaces, BOMs, soft hyphens, bidi marks) are removed,
  other line/paragraph separators become spaces;
- tabs and every kind of space become one ASCII space, runs collapse, and the line is stripped.

The function is idempotent: ``clean_text(clean_text(x)) == clean_text(x)``.
"""
from __future__ import annotations

import re
import unicodedata

import ftfy

_NEWLINE_RE = re.compile(r"\r\n|\r")
# characters that Unicode treats as line breaks but we do not: they become spaces
_OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_KEEP_FORMAT = {"\u200c", "\u200d"}  # ZWNJ/ZWJ carry meaning in several scripts and emoji
# whitespace (but newline) that is not already one plain space: a run of two or more, or a single other one
_SPACE_RUN_RE = re.compile(r"[^\S\n]{2,}|[^\S\n ]")
# every character but "\n" and " " that str.isspace() (and so the regex \s) counts as whitespace
# (tests/data/test_cleaning.py checks the list): text without one of these and without "  " has no run to collapse,
# and a plain substring search finds that out several times faster than the regex
_OTHER_SPACES = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007" \
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_OTHER_SPACE_RE = re.compile(f"[{_OTHER_SPACES}]")
_LINE_EDGE_RE = re.compile(r" \n ?|\n ")  # a space at the end or start of a line (runs are single spaces by then)

_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html="auto",
    remove_terminal_escapes=True,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=True,
    fix_character_width=True,
    uncurl_quotes=False,
    fix_line_breaks=False,  # we own line breaks: label alignment depends on them
    fix_surrogates=True,
    remove_control_chars=True,
    normalization="NFC",
    explain=False,
)


# control characters (but \t and \n), invisible format characters (but ZWNJ/ZWJ) and lone surrogates
_DROP_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f\ud800-\udfff]"
)


def normalize_newlines(text: str) -> str:
    return _NEWLINE_RE.sub("\n", text)


def split_lines(text: str) -> list[str]:
    """The lines of ``text``: split at ``\\n``, ``\\r\\n`` or ``\\r``. An empty string is one empty line."""
    return normalize_newlines(text).split("\n")


def count_lines(text: str) -> int:
    return len(split_lines(text))


_TRANS = str.maketrans({c: " " for c in _OTHER_BREAKS})
_OTHER_BREAKS_RE = re.compile(f"[{re.escape(_OTHER_BREAKS)}]")


def _normalize(text: str) -> str:
    """The cheap, idempotent part: line breaks, invisible characters, NFC, spaces (every run of whitespace in a
    line one space, none at either end of a line). Each step only touches text where it has work: most articles
    need none of it, and this runs on every article."""
    text = normalize_newlines(text)
    if _OTHER_BREAKS_RE.search(text):
        text = text.translate(_TRANS)
    if not text.isascii() or _DROP_RE.search(text):
        text = unicodedata.normalize("NFC", _DROP_RE.sub("", text))
    if "  " in text or _OTHER_SPACE_RE.search(text):
        text = _SPACE_RUN_RE.sub(" ", text)
    if " \n" in text or "\n " in text:
        text = _LINE_EDGE_RE.sub("\n", text)
    return text.strip(" ")


# ftfy is the slow step; it only has work where these can match: two or more Latin-1/cp1252/MacRoman-range
# characters in a row (the trace of mojibake), an HTML entity, a ligature or a full-width form.
_CP1252_HIGH = "\u0080-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02c7\u02d8-\u02dd" \
    "\u03a9\u03c0\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u2044\u20ac\u2122" \
    "\u2202\u2206\u220f\u2211\u221a\u221e\u222b\u2248\u2260\u2264\u2265\u25ca\uf8ff\ufb01\ufb02"
_FTFY_WORK_RE = re.compile(f"[{_CP1252_HIGH}]{{2,}}|&#?\\w+;|[\ufb00-\ufb06\uff01-\uffee\u3000\ufffd]")


def _may_need_ftfy(text: str) -> bool:
    return _FTFY_WORK_RE.search(text) is not None


def clean_text(text: str) -> str:
    """Repair and normalise ``text`` line by line; the number of lines is unchanged. Idempotent."""
    if not isinstance(text, str):
        raise TypeError(f"clean_text expects str, got {type(text).__name__}")
    # ftfy first: C1 controls are part of mojibake ("â€\x9d" is a closing quote) and must not be dropped before it
    text = normalize_newlines(text)
    for _ in range(5):  # until a fixed point; one round for text that ftfy leaves alone
        fixed = _normalize(ftfy.fix_text(text, _FTFY_CONFIG) if _may_need_ftfy(text) else text)
        done = fixed == text or not _may_need_ftfy(fixed)
        text = fixed
        if done:
            break
    return text


def is_blank(text: str) -> bool:
    return not text.strip()


def looks_binary(text: str, max_share: float = 0.1) -> bool:
    """True when ``text`` looks like binary data decoded as text: NUL bytes or many control/replacement chars."""
    if "\x00" in text:
        return True
    sample = text[:100_000]
    if not sample:
        return False
    bad = len(_BAD_CHAR_RE.findall(sample))
    return bad / len(sample) > max_share


_BAD_CHAR_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")
