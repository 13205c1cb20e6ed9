"""Synthetic, line-labelled sample corpus of scraped news pages.

The corpus is written by this project: editorial paragraphs and boilerplate pieces come from the
hand-written bank in :mod:`newssift.synthetic.bank` and are composed programmatically with slot
filling, from a fixed seed, so the output is identical byte for byte on every run and platform.

Each record is ``{"id", "text", "topic", "line_labels"}``.  ``text`` is the raw "scraped" page:
editorial paragraphs (one per line) mixed with realistic boilerplate (navigation crumbs, bylines,
datelines, photo credits and captions, teasers, share/newsletter prompts, related links, comment
prompts, cookie and copyright notices) and, for about half the pages, an appended advertising
block (vendor promo, "Our services:" list, "Author: <vendor>", contact line, blank-line runs).

Labelling rules (``line_labels[i]`` belongs to ``text.split("\\n")[i]``; 1 = boilerplate,
0 = editorial):

* Editorial paragraphs, the article headline, in-article subheadings, Q&A questions, editorial
  bullet lists and one-sentence / quoted paragraphs are 0.
* Everything else that is not blank is 1 -- including sentence-like photo captions, author bios
  and long promotional, cookie or legal paragraphs.
* Blank lines (empty or whitespace-only, ``line.strip() == ""``): a blank line is 0 if and only if
  the nearest non-blank line above it AND the nearest non-blank line below it are both editorial
  (0); otherwise it is 1.  So every blank line in a run between two editorial paragraphs is 0,
  and any blank line touching boilerplate (or the start/end of the text) is 1.
* The first and last lines of every page are non-blank, ``text`` never ends with "\\n", and no
  line contains any other line-break character, so ``text.split("\\n") == text.splitlines()``.

Noise for the ``clean`` stage (applied after composition, never changing the number of lines or
the labels): about 3% of records carry mojibake (UTF-8 decoded as cp1252, e.g. "donâ€™t"), about
10% carry non-breaking spaces, zero-width spaces, doubled spaces and trailing spaces.  About 2% of
records are exact duplicates of another record (new id) and about 2% are near duplicates (one
line changed); duplicates keep their own correct labels.

Run ``python -m newssift.synthetic.generator --output data/sample/corpus.jsonl`` to write the corpus.
"""

from __future__ import annotations

import argparse
import codecs
import datetime as _dt
import random
import re
from typing import Callable

from newssift.synthetic import bank as B

TOPICS: tuple[str, ...] = (
    "politics",
    "world",
    "business",
    "technology",
    "sport",
    "health",
    "science",
    "entertainment",
)

#: Page layouts accepted by ``compose_article(style=...)``.
PAGE_STYLES: tuple[str, ...] = ("portal", "wire", "blog", "magazine", "minimal")
#: Editorial writing styles used by :func:`generate_corpus`.
EDITORIAL_STYLES: tuple[str, ...] = ("hard_news", "feature", "quotes", "qa", "numbers", "list")

MIN_WORDS = 120
MAX_WORDS = 600

_ERR = "newssift.sloppy_cp1252"


def _sloppy_cp1252(exc: UnicodeDecodeError) -> tuple[str, int]:
    # Bytes undefined in cp1252 decode as the Latin-1 character (like ftfy's sloppy-windows-1252).
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error(_ERR, _sloppy_cp1252)


def mojibake(s: str) -> str:
    """Classic mojibake: UTF-8 bytes misread as cp1252 ("don’t" -> "donâ€™t")."""
    return s.encode("utf-8").decode("cp1252", errors=_ERR)


# ---------------------------------------------------------------------------------------------
# Slot filling
# ---------------------------------------------------------------------------------------------

_PERSON_KEYS = frozenset(
    """person person2 person3 analyst expert critic official resident captain coach envoy doctor
    scientist author creator campaigner governor lawmaker owner founder composer""".split()
)
_NUMERIC_SLOTS = frozenset(("num", "big", "pct", "money", "money_small", "money_modest", "fee", "year", "age"))
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_ORDINALS = ("second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def _plural(word: str) -> str:
    return word if word.endswith("s") else word + "s"


class _Slots(dict):
    """Per-article slot values, generated lazily and kept consistent within the article."""

    def __init__(self, rng: random.Random, currency: str | None = None):
        super().__init__()
        self.rng = rng
        self.currency = currency or rng.choice(("$", "£", "€", "$"))
        self.pct_style = rng.randrange(4)
        self._used: dict[str, list] = {}

    def _pick(self, group: str, pool):
        used = self._used.setdefault(group, [])
        choices = [p for p in pool if p not in used] or list(pool)
        value = self.rng.choice(choices)
        used.append(value)
        return value

    def reset_numbers(self) -> None:
        """Forget figures (counts, percentages, money, years) so the next paragraph gets new ones."""
        for k in [k for k in self if k.rstrip("0123456789") in _NUMERIC_SLOTS]:
            del self[k]

    def __missing__(self, key: str):
        if key.endswith("_last"):
            self[key[:-5]]  # generating the person also stores the surname
            return dict.__getitem__(self, key)
        value = self._make(key)
        if key not in self:
            self[key] = value
        return dict.__getitem__(self, key)

    def _number(self, key: str, lo: int, hi: int) -> int:
        used = self._used.setdefault("num", [])
        for _ in range(20):
            n = self.rng.randint(lo, hi)
            if n not in used:
                break
        used.append(n)
        return n

    def _make(self, key: str):  # noqa: C901 - a flat dispatch table is the clearest form here
        r = self.rng
        base = key.rstrip("0123456789")
        suffix = key[len(base):]
        cur = self.currency
        if key in _PERSON_KEYS or base == "person":
            first = r.choice(B.FIRST_NAMES)
            last = self._pick("surname", B.LAST_NAMES)
            self[key + "_last"] = last
            return f"{first} {last}"
        if base == "city":
            return self._pick("city", B.CITIES)
        if base in ("country", "capital"):
            country, capital = self._pick("country", B.COUNTRIES)
            self["country" + suffix] = country
            self["capital" + suffix] = capital
            return self[key]
        if base in ("policy", "bill", "ministry", "role"):
            policy, bill, ministry, role = self._pick("policy", B.POLICIES)
            self.update(policy=policy, bill=bill, ministry=ministry, role=role)
            return self[key]
        if base in ("company", "sector"):
            if base == "sector":
                self["company"]
                return self["sector"]
            if "sector" in self:
                sector = self["sector"]
                suffixes = dict(B.SECTORS)[sector]
            else:
                sector, suffixes = r.choice(B.SECTORS)
                self["sector"] = sector
            return f"{self._pick('company', B.COMPANY_PREFIXES)} {r.choice(suffixes)}"
        simple = {
            "region": B.REGIONS,
            "intl_org": B.INTL_ORGS,
            "committee": B.COMMITTEES,
            "weekday": _WEEKDAYS,
            "month": _MONTHS,
            "ordinal": _ORDINALS,
            "competition": B.COMPETITIONS,
            "condition": B.CONDITIONS,
            "risk_condition": B.RISK_CONDITIONS,
            "health_agency": B.HEALTH_AGENCIES,
            "journal": B.JOURNALS,
            "mission": B.MISSIONS,
            "instrument": B.INSTRUMENTS,
            "species_group": B.SPECIES_GROUPS,
            "album": B.ALBUMS,
            "studio": B.STUDIOS,
        }
        if base in simple:
            return self._pick(base, simple[base])
        pools = {
            "party": B.PARTIES,
            "tech_company": B.TECH_COMPANIES,
            "product": B.PRODUCTS,
            "platform": B.PLATFORMS,
            "feature": B.FEATURES,
        }
        if base in pools:
            return self._pick(base, pools[base])
        if base == "year":
            return str(r.randint(2009, 2023))
        if base == "future_year":
            return str(r.randint(2027, 2035))
        if base == "old_year":
            return str(r.randint(1888, 1968))
        if base == "date":
            return f"{r.choice(_MONTHS)} {r.randint(1, 28)}"
        if base == "num":
            return str(self._number(key, 3, 18))
        if base == "big":
            n = r.choice((r.randint(12, 99) * 100, r.randint(11, 95) * 1000, r.randint(101, 999) * 10))
            return f"{n:,}"
        if base == "pct":
            if suffix == "2":
                v = r.uniform(0.4, 9.5)
                return (f"{v:.1f}%", f"{v:.1f} per cent", f"{v:.1f}%", f"{v:.1f} percent")[self.pct_style]
            v = r.uniform(3, 68)
            return (f"{v:.0f}%", f"{v:.0f} per cent", f"{v:.1f}%", f"{v:.0f} percent")[self.pct_style]
        if base == "money":
            if r.random() < 0.5:
                return f"{cur}{r.uniform(1.1, 48):.1f} billion"
            return f"{cur}{r.randint(12, 95) * 10} million"
        if base == "money_small":
            return f"{cur}{r.randint(20, 400)} million"
        if base == "money_modest":
            if r.random() < 0.5:
                return f"{cur}{r.uniform(0.3, 4.9):.1f} million"
            return f"{cur}{r.randint(150, 950)},000"
        if base == "fee":
            return f"{cur}{r.randint(8, 95)} million"
        if base == "age":
            return str(r.randint(19, 33))
        if base == "screen_age":
            return r.choice(("50", "55", "60", "65", "70"))
        if base == "score":
            a = r.randint(1, 4)
            return f"{a}-{r.randint(0, a - 1)}"
        if base == "team":
            return f"{self._pick('town', B.TOWNS)} {r.choice(B.TEAM_NICKNAMES)}"
        if base == "venue":
            town, kind = self._pick("town", B.TOWNS), r.choice(B.VENUE_SUFFIXES)
            return f"the {town} {kind}" if kind in ("Stadium", "Arena", "Ground") else f"{town} {kind}"
        if base == "hospital":
            form = r.choice(B.HOSPITAL_FORMS)
            return form.format(town=self._pick("town", B.TOWNS), saint=r.choice(B.SAINTS))
        if base == "drug":
            return r.choice(B.DRUG_STEMS) + r.choice(B.DRUG_ENDINGS)
        if base == "institute":
            form = r.choice(B.INSTITUTE_FORMS)
            return form.format(city=r.choice(B.CITIES), town=r.choice(B.TOWNS))
        if base == "film":
            a, n, n2 = r.choice(B.FILM_ADJECTIVES), r.choice(B.FILM_NOUNS), r.choice(B.FILM_NOUNS)
            forms = (f"The {a} {n}", f"{a} {n}", f"The {n}", f"{n} of the {a} {n2}", f"A {a} {n}")
            return self._pick("film", forms)
        if base == "show":
            n, town = r.choice(B.FILM_NOUNS), r.choice(B.TOWNS)
            return r.choice((town, f"{n} Street", f"The {town} Files", f"The {_plural(n)}", f"{town} Road"))
        if base == "band":
            a, n, n2 = r.choice(B.FILM_ADJECTIVES), r.choice(B.FILM_NOUNS), r.choice(B.FILM_NOUNS)
            return r.choice((f"The {a} {_plural(n)}", f"{n} and the {_plural(n2)}", f"{a} {n}"))
        if base == "festival":
            city = r.choice(B.CITIES)
            return r.choice(
                (f"the {city} Film Festival", f"the {city} International Film Festival",
                 f"the {r.choice(B.TOWNS)} Festival of Cinema")
            )
        raise KeyError(key)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s[:1].islower() else s


def _fill(template: str, slots: _Slots) -> str:
    return _cap(template.format_map(slots))


def _words(s: str) -> int:
    return len(s.split())


# ---------------------------------------------------------------------------------------------
# Editorial text
# ---------------------------------------------------------------------------------------------


def _bullet(style: str, i: int) -> str:
    return f"{i + 1}. " if style == "num" else style


def _write_editorial(topic: str, rng: random.Random) -> tuple[str, list[str], str]:
    """Return (headline, editorial lines, editorial style) for one article of ``topic``."""
    bank = B.BANK[topic]
    slots = _Slots(rng)

    def fill(template: str) -> str:
        slots.reset_numbers()  # entities stay consistent across the article, figures do not
        return _fill(template, slots)

    style = rng.choices(EDITORIAL_STYLES, weights=(30, 18, 14, 12, 12, 14))[0]
    target = max(MIN_WORDS + 10, min(MAX_WORDS - 30, int(rng.triangular(130, 590, 250))))
    limit = MAX_WORDS - 5

    opening, story_heads, story_body, story_quotes = rng.choice(B.STORIES[topic])
    # headline and opening paragraph share their figures
    headline = _fill(bank["headlines"][rng.choice(story_heads)], slots)
    words = _words(headline)
    out: list[str] = []

    # body pool (popped from the end): a few paragraphs of the story line first, then the rest
    lead_idx = int(opening[1:]) if opening[0] == "B" else None
    first = [i for i in story_body if i != lead_idx]
    rng.shuffle(first)
    first = first[: rng.randint(1, 3)]
    rest = [i for i in range(len(bank["body"])) if i != lead_idx and i not in first]
    rng.shuffle(rest)
    body = [bank["body"][i] for i in rest]
    if B.NEIGHBOURS[topic] and rng.random() < 0.2:  # vocabulary overlap with a neighbouring topic
        other = rng.choice(B.NEIGHBOURS[topic])
        body.insert(len(body) - rng.randint(0, 3), rng.choice(B.BANK[other]["body"]))
    body += [bank["body"][i] for i in reversed(first)]
    quotes = [q for i, q in enumerate(bank["quotes"]) if i not in story_quotes]
    rng.shuffle(quotes)
    quotes += [bank["quotes"][i] for i in story_quotes]
    shorts = list(bank["short"])
    rng.shuffle(shorts)
    subheads = list(bank["subheads"]) + rng.sample(B.GENERIC_SUBHEADS, 3)
    rng.shuffle(subheads)
    lede_template = bank["ledes"][int(opening[1:])] if opening[0] == "L" else bank["body"][lead_idx]
    lede_text = _fill(lede_template, slots)
    bullet = rng.choice(("- ", "- ", "• ", "* ", "", "num", "– "))

    def add(text: str) -> bool:
        nonlocal words
        w = _words(text)
        if words + w > limit:
            return False
        out.append(text)
        words += w
        return True

    def add_body() -> bool:
        return bool(body) and add(fill(body.pop()))

    def lede() -> str:
        text = lede_text
        place = slots.get("capital") or slots.get("city")
        if place and rng.random() < 0.12:
            city = place
            agency = rng.choice(B.WIRE_AGENCIES + B.OUTLETS[:4])
            prefix = rng.choice(
                (f"{city.upper()} ({agency}) - ", f"{city.upper()} - ", f"{city} - ",
                 f"{city.upper()}, {slots['date']} ({agency}) - ")
            )
            text = prefix + text
        return text

    def fill_to_target(p_quote: float, p_short: float, p_sub: float) -> None:
        nonlocal words
        misses = 0
        while (words < target or words < MIN_WORDS) and body and misses < 6:
            r = rng.random()
            if r < p_quote and quotes:
                ok = add(fill(quotes.pop()))
            elif r < p_quote + p_short and shorts:
                ok = add(fill(shorts.pop()))
            elif r < p_quote + p_short + p_sub and subheads and len(out) >= 2 and body:
                sub = subheads.pop()
                ok = add(sub) and add_body()
                if not ok and out and out[-1] == sub:
                    out.pop()
                    words -= _words(sub)
            else:
                ok = add_body()
            misses = 0 if ok else misses + 1

    if style == "hard_news":
        add(lede())
        fill_to_target(0.2, 0.08, 0.06)
    elif style == "feature":
        if opening[0] == "L" and rng.random() < 0.6:
            add_body()
        add(lede())
        fill_to_target(0.22, 0.1, 0.22)
        if quotes and rng.random() < 0.5:
            add(fill(quotes.pop()))
    elif style == "quotes":
        add(lede())
        fill_to_target(0.4, 0.15, 0.03)
    elif style == "qa":
        add(lede())
        # popped from the end: generic explainer questions first, then a couple of topical ones
        questions = [fill(q) for q in rng.sample(bank["questions"], 2)] + rng.sample(
            B.GENERIC_QUESTIONS, len(B.GENERIC_QUESTIONS))
        qa_prefix = rng.random() < 0.35
        while (words < target or words < MIN_WORDS) and questions and body:
            q = questions.pop()
            answer = fill(body.pop())
            if qa_prefix:
                q, answer = "Q: " + q, "A: " + answer
            if words + _words(q) + _words(answer) > limit:
                break
            add(q)
            add(answer)
            if rng.random() < 0.25 and body:
                add_body()
    elif style == "numbers":
        add(lede())
        add_body()
        add(rng.choice(B.FACT_HEADERS))
        facts = rng.sample(bank["facts"], min(len(bank["facts"]), rng.randint(3, 4)))
        for i, f in enumerate(facts):
            add(_bullet(bullet, i) + fill(f))
        fill_to_target(0.2, 0.08, 0.05)
    else:  # list
        add(lede())
        if rng.random() < 0.6:
            add_body()
        k = rng.randrange(len(bank["list_intros"]))
        add(fill(bank["list_intros"][k]))
        group = B.LIST_GROUPS[topic][k]
        items = [bank["list_items"][j] for j in rng.sample(group, min(len(group), rng.randint(3, 5)))]
        for i, item in enumerate(items):
            add(_bullet(bullet, i) + fill(item))
        fill_to_target(0.2, 0.08, 0.05)

    # never end on a subheading or a question
    while out and (out[-1] in subheads or out[-1] in B.GENERIC_SUBHEADS or out[-1].endswith("?")):
        words -= _words(out.pop())
    while words < MIN_WORDS and body:  # safety net; practically never needed
        if not add_body():
            break
    return headline, out, style


# ---------------------------------------------------------------------------------------------
# Boilerplate
# ---------------------------------------------------------------------------------------------

_TOPIC_WORD = {
    "politics": "political", "world": "world", "business": "business", "technology": "tech",
    "sport": "sport", "health": "health", "science": "science", "entertainment": "entertainment",
}
_BEAT_DESC = {
    "politics": "parliament, elections and public policy",
    "world": "diplomacy, conflict and humanitarian affairs",
    "business": "companies, markets and the economy",
    "technology": "big tech, start-ups and digital rights",
    "sport": "football and major sporting events",
    "health": "hospitals, medicine and public health",
    "science": "space, climate and the natural world",
    "entertainment": "film, television and music",
}
_TLDS = (".com", ".co.uk", ".net", ".com.au", ".ca", ".ie", ".news")


def _slug(s: str) -> str:
    s = s.lower().replace("&", "and")
    s = re.sub(r"[^a-z0-9]+", "-", s.encode("ascii", "ignore").decode())
    return s.strip("-")


def _vary_case(s: str, rng: random.Random, p_upper: float = 0.07, p_lower: float = 0.04) -> str:
    r = rng.random()
    if r < p_upper:
        return s.upper()
    if r < p_upper + p_lower:
        return s.lower()
    return s


class _Page:
    """Boilerplate context for one page: outlet, date, staff, rng."""

    def __init__(self, rng: random.Random, topic: str | None):
        self.rng = rng
        self.topic = topic if topic in TOPICS else rng.choice(TOPICS)
        self.outlet = rng.choice(B.OUTLETS)
        self.domain = _slug(self.outlet.removeprefix("The ")).replace("-", "") + rng.choice(_TLDS)
        self.when = _dt.datetime(
            rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28),
            rng.randint(5, 22), rng.randint(0, 59),
        )
        self.slots = _Slots(rng)
        self.reporter = self.person()
        self.agency = rng.choice(B.PHOTO_AGENCIES)
        self.currency = self.slots.currency
        self.avoid: tuple[str, ...] = ()  # strings that must not be reused as boilerplate
        self.words = 400  # editorial length (for "n min read")

    def beat(self) -> str:
        beats = B.BEATS[2 * TOPICS.index(self.topic): 2 * TOPICS.index(self.topic) + 2] + B.BEATS[-4:]
        return self.rng.choice(beats)

    def person(self) -> str:
        return f"{self.rng.choice(B.FIRST_NAMES)} {self.rng.choice(B.LAST_NAMES)}"

    def handle(self, name: str) -> str:
        first, last = (_slug(x).replace("-", "") for x in name.split(" ", 1))
        return self.rng.choice((f"{first}{last}", f"{first}_{last}", f"{first[0]}{last}", f"{last}{first[:1]}"))

    def email(self, name: str | None = None) -> str:
        local = self.rng.choice(("news", "tips", "newsdesk", "editor", "letters"))
        if name:
            first, last = (_slug(x).replace("-", "") for x in name.split(" ", 1))
            local = self.rng.choice((f"{first}.{last}", f"{first[0]}{last}"))
        return f"{local}@{self.domain}"

    def headline(self) -> str:
        """A teaser headline for some other story."""
        for _ in range(10):
            topic = self.rng.choice(TOPICS) if self.rng.random() < 0.6 else self.topic
            h = _fill(self.rng.choice(B.BANK[topic]["headlines"]), _Slots(self.rng, self.currency))
            if h not in self.avoid:
                break
        return h

    def url(self, headline: str | None = None) -> str:
        section = _slug(self.rng.choice(B.SECTIONS[self.topic][0]))
        tail = _slug(headline or self.headline())[:70].strip("-")
        if self.rng.random() < 0.5:
            tail += f"-{self.rng.randint(10**6, 10**8)}"
        return f"https://www.{self.domain}/{section}/{tail}"

    def price(self) -> str:
        r = self.rng
        return r.choice((f"{self.currency}1", f"{self.currency}{r.randint(1, 9)}.99",
                         f"{self.currency}{r.randint(2, 12)}", f"{self.currency}0.99 a week"))

    def phone(self) -> str:
        r = self.rng
        d3, d4 = r.randint(100, 999), r.randint(1000, 9999)
        return r.choice((
            f"(555) {d3}-{d4}", f"555-{d3}-{d4}", f"+1 555 {d3} {d4}", f"020 7946 0{d3}",
            f"+44 (0)161 496 0{d3}", f"0113 496 0{d3}", f"+61 2 5550 {d4}", f"1-800-555-{d4}",
            f"+353 1 555 {d4}", f"01632 960{d3}",
        ))

    def address(self) -> str:
        r = self.rng
        post = r.choice((
            f"{r.choice('BLMNS')}{r.choice('EKRS')}{r.randint(1, 19)} {r.randint(1, 9)}{r.choice('ABDHJNPTW')}{r.choice('ABDHJNPTW')}",
            f"{r.randint(10000, 99999)}",
            "",
        ))
        city = r.choice(B.CITIES)
        return f"{r.randint(1, 240)} {r.choice(B.STREET_NAMES)}, {city}" + (f" {post}" if post else "")

    def date(self, when: _dt.datetime | None = None, time: bool | None = None) -> str:
        r = self.rng
        t = when or self.when
        mon, month, wd = t.strftime("%b"), _MONTHS[t.month - 1], _WEEKDAYS[t.weekday()]
        d, m, y = t.day, t.month, t.year
        forms = (
            f"{mon} {d}, {y}", f"{month} {d}, {y}", f"{d} {month} {y}", f"{d} {mon} {y}",
            f"{y}-{m:02d}-{d:02d}", f"{m}/{d}/{y}", f"{d:02d}/{m:02d}/{y}", f"{d:02d}.{m:02d}.{y}",
            f"{wd[:3]} {d} {mon} {y}", f"{wd}, {month} {d}, {y}", f"{wd} {d} {month} {y}",
            f"{mon}. {d}, {y}", f"{d} {mon.upper()} {y}",
        )
        if r.random() < 0.08:
            return t.strftime("%Y-%m-%dT%H:%M:%S") + r.choice(("Z", "+00:00", "+01:00", "-05:00"))
        s = r.choice(forms)
        if time is None:
            time = r.random() < 0.55
        if time:
            h12 = t.hour % 12 or 12
            ampm = "AM" if t.hour < 12 else "PM"
            tz = r.choice(("", " GMT", " BST", " ET", " EST", " CET", " UTC", " AEST", " PT"))
            clock = r.choice((
                f"{h12}:{t.minute:02d} {ampm}", f"{t.hour:02d}:{t.minute:02d}",
                f"{h12}.{t.minute:02d}{ampm.lower()}", f"{h12}:{t.minute:02d} {ampm.lower()[0]}.m.",
                f"{t.hour:02d}.{t.minute:02d}",
            )) + tz
            s = r.choice((f"{s} {clock}", f"{s} at {clock}", f"{s}, {clock}", f"{s} · {clock}",
                          f"{s} | {clock}", f"{clock}, {s}"))
        return s

    def later(self) -> _dt.datetime:
        return self.when + _dt.timedelta(minutes=self.rng.randint(20, 60 * 72))


Family = Callable[[_Page], list[str]]
FAMILIES: dict[str, Family] = {}


def _family(name: str):
    def deco(fn: Family) -> Family:
        FAMILIES[name] = fn
        return fn

    return deco


# -- top of page ------------------------------------------------------------------------------


@_family("skip_links")
def _skip_links(p: _Page) -> list[str]:
    items = ["Skip to main content", "Skip to navigation", "Skip to content", "Jump to navigation",
             "Menu", "Search", "Sign in", "Log in | Register", "Subscribe", "My account",
             "Today's paper", "Home", "Edition: International", "Sections", "Open side navigation menu"]
    chosen = p.rng.sample(items, p.rng.randint(1, 4))
    if p.rng.random() < 0.4:
        return [p.rng.choice((" | ", "  ", " · ", " ")).join(chosen)]
    return chosen


@_family("nav_crumbs")
def _nav_crumbs(p: _Page) -> list[str]:
    r = p.rng
    sections, subs = B.SECTIONS[p.topic]
    parts = [r.choice(("Home", "News", "HOME", p.outlet))]
    parts.append(r.choice([x for x in sections if x != parts[0]]))
    if r.random() < 0.6:
        parts.append(r.choice([x for x in subs if x != parts[1]]))
    sep = r.choice((" > ", " / ", " » ", " | ", " › ", " >> ", " - "))
    s = sep.join(parts)
    if r.random() < 0.15:
        s = "You are here: " + s
    return [_vary_case(s, r, 0.15)]


@_family("section_label")
def _section_label(p: _Page) -> list[str]:
    r = p.rng
    sections, subs = B.SECTIONS[p.topic]
    s = r.choice(sections + subs)
    if r.random() < 0.25:
        s = f"{s} {r.choice(('|', '-', '·'))} {p.outlet}"
    return [_vary_case(s, r, 0.3)]


@_family("breaking_label")
def _breaking_label(p: _Page) -> list[str]:
    return [p.rng.choice(("BREAKING", "Breaking News", "LIVE", "Exclusive", "Developing story",
                          "UPDATED", "Live updates", "Just in", "Opinion", "Explainer", "Premium"))]


@_family("masthead")
def _masthead(p: _Page) -> list[str]:
    r = p.rng
    tagline = r.choice(("News you can trust", "Independent journalism since " + str(r.randint(1840, 1990)),
                        "Breaking news, analysis and opinion", "Your local news, first",
                        f"The voice of {r.choice(B.CITIES)}", "Read all about it"))
    return [r.choice((p.outlet, p.outlet.upper(), f"{p.outlet} | {tagline}", f"{p.outlet} - {tagline}"))]


@_family("ticker")
def _ticker(p: _Page) -> list[str]:
    r = p.rng
    items = [
        f"{r.choice(B.CITIES)} {r.randint(-3, 33)}°C",
        f"{r.choice(B.CITIES)} {r.randint(-3, 33)}°C {r.choice(('Sunny', 'Cloudy', 'Light rain', 'Partly cloudy', 'Showers'))}",
        p.date(time=False),
        f"{r.choice(('FTSE 100', 'S&P 500', 'DAX', 'Nikkei', 'Dow'))} {r.choice('+-')}{r.uniform(0.1, 2.4):.2f}%",
        f"Today's paper · {p.date(time=False)}",
    ]
    return r.sample(items, r.randint(1, 2))


@_family("cookie_notice")
def _cookie_notice(p: _Page) -> list[str]:
    r = p.rng
    out = []
    if r.random() < 0.3:
        out.append(r.choice(("We value your privacy", "Cookies on this site", "Your privacy choices",
                             "Privacy settings", "This site uses cookies")))
    out.append(r.choice(B.COOKIE_NOTICES).format(outlet=p.outlet, num=r.randint(120, 960)))
    if r.random() < 0.8:
        buttons = r.sample(B.COOKIE_BUTTONS, r.randint(1, 3))
        out.extend(buttons if r.random() < 0.5 else [r.choice(("  ", " | ", " ")).join(buttons)])
    return out


# -- around the headline ---------------------------------------------------------------------


@_family("byline")
def _byline(p: _Page) -> list[str]:
    r = p.rng
    name, beat = p.reporter, p.beat()
    other = p.person()
    agency = r.choice(B.WIRE_AGENCIES)
    forms = [
        [f"By {name}"], [f"By {name.upper()}"], [f"by {name}"], [f"By {name} and {other}"],
        [f"{name}, {beat}"], [f"By {name}, {beat.title()}"], [f"Written by {name}"],
        [f"{name} | {p.outlet}"], [f"By {name} · {agency}"], [f"Story by {name}"],
        [f"Words: {name}"], [f"{name} for {p.outlet}"], [f"By {name} ({agency})"],
        [f"{name} @{p.handle(name)}"], [f"By {name}", beat.capitalize()],
        [name, beat.capitalize(), p.outlet], [f"Posted by {p.handle(name)}"], [f"{agency} staff"],
        [f"By {name}, {beat} | {r.choice(('Email', 'Follow'))}"],
    ]
    return r.choice(forms)


@_family("dateline")
def _dateline(p: _Page) -> list[str]:
    r = p.rng
    pub = r.choice(("Published:", "Published", "Posted:", "Posted on", "First published on",
                    "Published on", "Date:", "PUBLISHED:", "", "Posted", "Created:"))
    upd = r.choice(("Updated:", "Updated", "Last updated:", "Updated on", "Modified:", "UPDATED:",
                    "Last modified", "Amended"))
    roll = r.random()
    if roll < 0.5:
        s = f"{pub} {p.date()}".strip()
    elif roll < 0.7:
        s = f"{upd} {p.date(p.later())}"
    elif roll < 0.85:
        sep = r.choice((" | ", " · ", ", ", "  ", " - "))
        s = f"{pub or 'Published'} {p.date()}{sep}{upd} {p.date(p.later())}"
    else:
        n = r.randint(1, 59)
        s = r.choice((f"Updated {n} hours ago", f"{n} min ago", f"{n} minutes ago", f"Published {n} days ago",
                      f"Yesterday at {r.randint(10, 23)}:{r.randint(0, 59):02d}", f"{n}h ago",
                      f"Posted {n} hours ago", f"Updated {n} mins ago"))
    return [_vary_case(s, r, 0.03, 0.03)]


@_family("reading_time")
def _reading_time(p: _Page) -> list[str]:
    n = max(1, round(p.words / 230) + p.rng.randint(-1, 2))
    return [p.rng.choice((f"{n} min read", f"Reading time: {n} minutes", f"{n}-minute read",
                          f"Estimated reading time: {n} min", f"⏱ {n} min", f"{n} mins", f"{n} MIN READ"))]


def _count(r: random.Random) -> str:
    return r.choice((f"{r.uniform(1, 9.9):.1f}K", f"{r.randint(2, 999)}", f"{r.randint(1, 9)},{r.randint(100, 999)}"))


@_family("share_bar")
def _share_bar(p: _Page) -> list[str]:
    r = p.rng
    items = r.sample(B.SHARE_ITEMS, r.randint(1, 5))
    out = []
    if r.random() < 0.45:
        out.append(r.choice((f"{_count(r)} shares", f"Shares: {_count(r)}", f"{_count(r)} Shares",
                             f"{_count(r)} people shared this", f"{_count(r)} shares · {r.randint(1, 400)} comments")))
    if r.random() < 0.5:
        out.append(r.choice((" ", " | ", " · ", "  ")).join(items))
    else:
        out.extend(items)
    return out


@_family("comment_count")
def _comment_count(p: _Page) -> list[str]:
    n = p.rng.randint(0, 2400)
    return [p.rng.choice((f"{n} comments", f"Comments ({n})", "View comments", f"{n} Comments",
                          f"💬 {n}", "Jump to comments", f"Show comments ({n})", f"{n} replies"))]


@_family("listen")
def _listen(p: _Page) -> list[str]:
    r = p.rng
    m, s = r.randint(2, 14), r.randint(0, 59)
    return [r.choice((f"Listen to this article · {m}:{s:02d} min", "Listen to this article",
                      f"Audio: {m} min", f"Listen ({m} min)", "Play audio", f"{m}:{s:02d}",
                      "Listen to this story. Enjoy more audio and podcasts on the app.",
                      "This audio is auto-generated. Please let us know if you have feedback."))]


# -- inside the article ----------------------------------------------------------------------


def _photographer(p: _Page) -> str:
    return p.person()


@_family("photo_credit")
def _photo_credit(p: _Page) -> list[str]:
    r = p.rng
    ph, ag = _photographer(p), r.choice(B.PHOTO_AGENCIES)
    forms = (
        f"Photo by {ph}/{ag}", f"(Photo: {ph}/{ag})", f"Photo: {ag}", f"Image: {ph} for {p.outlet}",
        f"Photograph: {ph}/{ag}", f"Image source, {ag}", f"© {ph} / {ag}", f"Picture: {ag}",
        f"Credit: {ph}/{ag}", ag.upper(), ag, f"Courtesy of {r.choice(B.STUDIOS + B.OUTLETS)}",
        "File photo", "Supplied", f"{ph}/{ag}", f"Photo credit: {ph}", f"IMAGE: {ag.upper()}",
        f"Photo illustration by {p.outlet}; source images: {ag}", f"(Credit: {ph})",
    )
    return [r.choice(forms)]


@_family("caption")
def _caption(p: _Page) -> list[str]:
    r = p.rng
    scene = r.choice(B.CAPTION_SCENES[p.topic if r.random() < 0.85 else r.choice(TOPICS)])
    city, ph, ag = r.choice(B.CITIES), _photographer(p), r.choice(B.PHOTO_AGENCIES)
    when = p.when - _dt.timedelta(days=r.randint(0, 400))
    forms = (
        f"{scene} in {city} on {_WEEKDAYS[when.weekday()]}.",
        f"{scene} in {city}, {p.date(when, time=False)}.",
        f"{scene}. ({ag})",
        f"FILE - {scene} in {city} on {p.date(when, time=False)}. (AP Photo/{ph}, File)",
        f"Image caption, {scene}",
        f"Caption: {scene}",
        f"{scene} (Image: {ag})",
        f"{scene} | Photo: {ph}/{ag}",
        f"{scene}, pictured in {when.year}.",
        f"{scene} in {city} on {_WEEKDAYS[when.weekday()]}. Photograph: {ph}/{ag}",
        f"{scene}. The picture was taken in {city} earlier this {r.choice(('week', 'month', 'year'))}.",
        f"{scene} in {city}. {ph}/{ag}",
    )
    return [r.choice(forms)]


@_family("photo")
def _photo(p: _Page) -> list[str]:
    r = p.rng
    credit, caption = _photo_credit(p), _caption(p)
    roll = r.random()
    if roll < 0.35:
        return credit + caption
    if roll < 0.6:
        return caption + credit
    if roll < 0.8:
        return credit
    return caption


@_family("ad_marker")
def _ad_marker(p: _Page) -> list[str]:
    return [p.rng.choice(B.AD_MARKERS)]


@_family("teaser")
def _teaser(p: _Page) -> list[str]:
    r = p.rng
    h = p.headline()
    roll = r.random()
    if roll < 0.7:
        pre = r.choice(B.TEASER_PREFIXES)
        s = f"{pre} {h}"
        if r.random() < 0.15:
            s = f"[{s}]"
    elif roll < 0.85:
        s = r.choice((f"{h} ›", f"→ {h}", f"{h} »", f"► {h}"))
    else:
        return [r.choice(B.TEASER_PREFIXES).rstrip(":| "), h]
    return [s]


@_family("video_block")
def _video_block(p: _Page) -> list[str]:
    r = p.rng
    out = [r.choice(("Recommended Videos", "RECOMMENDED VIDEOS", "Watch more", "Up next", "Video",
                     "Most watched", "Related video", "Trending videos", "Watch:"))]
    for _ in range(r.randint(1, 3)):
        m, s = r.randint(0, 12), r.randint(0, 59)
        out.append(r.choice((p.headline(), f"{p.headline()} ({m:02d}:{s:02d})", f"{m:02d}:{s:02d}",
                             "Now Playing", "Play Video", f"Video duration {m} minutes {s} seconds",
                             f"{p.headline()} - Video", "Replay", f"{m}:{s:02d} / {m + 1}:{s:02d}")))
    return out


@_family("newsletter")
def _newsletter(p: _Page) -> list[str]:
    r = p.rng
    nl = r.choice(B.NEWSLETTER_NAMES)
    when = r.choice(("every morning", "every weekday", f"every {r.choice(_WEEKDAYS)}", "daily", "each week"))
    first = r.choice((
        f"Sign up for {nl}", f"Get {nl} in your inbox", f"Sign up to our free {nl} newsletter",
        f"Sign up to {nl} and get the latest {_TOPIC_WORD[p.topic]} news delivered to your inbox {when}.",
        f"Newsletter: {nl}", f"Get the best of {p.outlet} {when} with our {nl} newsletter.",
        f"Never miss a story. Sign up for {nl}.", "Newsletter promotion",
    ))
    out = [first]
    extra = ["Enter your email address", "Email address", "Sign up", "Subscribe", "Sign me up",
             "By signing up, you agree to our Terms of Use and acknowledge the data practices in our Privacy Policy. You may unsubscribe at any time.",
             "We will use your email address only to send you newsletters. Please see our Privacy Notice for details of your data protection rights.",
             "after newsletter promotion", "Thank you for subscribing!", "Invalid email address"]
    out.extend(r.sample(extra, r.randint(0, 3)))
    return out


@_family("promo")
def _promo(p: _Page) -> list[str]:
    r = p.rng
    return [r.choice(B.PROMO_PARAGRAPHS).format(outlet=p.outlet, price=p.price(), num=r.randint(2, 6),
                                                num2=r.randint(7, 12))]


@_family("social_embed")
def _social_embed(p: _Page) -> list[str]:
    r = p.rng
    name = p.person()
    plat = r.choice(("Instagram", "X", "TikTok", "Facebook", "YouTube", "Bluesky"))
    items = [
        f"View this post on {plat}", f"A post shared by {name} (@{p.handle(name)})",
        f"— {name} (@{p.handle(name)}) {p.date(time=False)}",
        f"This content is hosted by {plat}. To view it, please accept cookies for this provider.",
        f"Allow {plat} content?", f"Skip {plat} post", f"End of {plat} post", f"Follow on {plat}",
    ]
    return r.sample(items, r.randint(1, 3))


# -- end of article --------------------------------------------------------------------------


@_family("reporting_credit")
def _reporting_credit(p: _Page) -> list[str]:
    r = p.rng
    a, b, c = p.person(), p.person(), p.person()
    agency = r.choice(B.WIRE_AGENCIES)
    forms = (
        f"Reporting by {a} in {r.choice(B.CITIES)}; Editing by {b}",
        f"Additional reporting by {a} and {b}", f"({agency} contributed to this report.)",
        f"With files from {agency}", "This story has been updated with additional information.",
        f"{a} contributed reporting from {r.choice(B.CITIES)}.", f"Writing by {a}; Editing by {b} and {c}",
        f"Contact the reporter at {p.email(p.reporter)}.", f"Edited by {a}",
        f"- Additional reporting by {agency}", f"Reporting by {a}; editing by {b}",
    )
    return [r.choice(forms)]


@_family("author_bio")
def _author_bio(p: _Page) -> list[str]:
    r = p.rng
    name = p.reporter
    bio = r.choice(B.AUTHOR_BIO_FORMS).format(
        name=name, last=name.split(" ", 1)[1], beat=p.beat(), beat_desc=_BEAT_DESC[p.topic],
        outlet=p.outlet, outlet2=r.choice(B.OUTLETS), year=r.randint(2008, 2023), num=r.randint(5, 40),
        email=p.email(name), handle=p.handle(name),
    )
    out = [bio]
    if r.random() < 0.3:
        out.insert(0, r.choice(("About the author", "ABOUT THE AUTHOR", name, f"More from {name}")))
    return out


@_family("tags")
def _tags(p: _Page) -> list[str]:
    r = p.rng
    tags = r.sample(B.TAGS[p.topic], r.randint(2, 4)) + r.sample(B.CITIES, r.randint(0, 1))
    pre = r.choice(("Tags:", "Topics:", "Filed under:", "More on:", "Related topics:", "TAGS", "Categories:",
                    "Topics", "Explore more on these topics"))
    if r.random() < 0.2:
        return [pre.rstrip(":")] + tags
    if r.random() < 0.15:
        return [" ".join("#" + t.replace(" ", "") for t in tags)]
    return [f"{pre} {r.choice((', ', ' · ', ' | ', ' / ')).join(tags)}"]


@_family("related_list")
def _related_list(p: _Page) -> list[str]:
    r = p.rng
    out = [_vary_case(r.choice(B.RELATED_HEADERS).format(outlet=p.outlet), r, 0.25)]
    fmt = r.randrange(7)
    seen: list[str] = []
    for i in range(r.randint(2, 6)):
        h = p.headline()
        while h in seen:
            h = p.headline()
        seen.append(h)
        out.append((
            f"- {h}", h, f"• {h}", f"{i + 1}. {h}", f"{h} ({p.date(p.later(), time=False)})",
            f"{h} | {r.choice(B.SECTIONS[p.topic][0])}", f"{h} {p.url(h)}",
        )[fmt])
    return out


@_family("comment_prompt")
def _comment_prompt(p: _Page) -> list[str]:
    r = p.rng
    n = r.randint(0, 900)
    items = list(B.COMMENT_PROMPTS) + [f"Comments ({n})", f"Show {n} comments", f"{n} comments"]
    return r.sample(items, r.randint(1, 3))


@_family("footer_nav")
def _footer_nav(p: _Page) -> list[str]:
    r = p.rng
    items = r.sample(B.FOOTER_ITEMS, r.randint(3, 8))
    if r.random() < 0.6:
        return [r.choice((" | ", " · ", "  ", " / ")).join(items)]
    return items


@_family("social_follow")
def _social_follow(p: _Page) -> list[str]:
    r = p.rng
    nets = r.sample(["Facebook", "X", "Instagram", "YouTube", "TikTok", "LinkedIn", "Threads"], r.randint(2, 4))
    return [r.choice((
        f"Follow us on {', '.join(nets[:-1])} and {nets[-1]}", f"Follow {p.outlet} on {', '.join(nets)}",
        "Like us on Facebook", f"Follow @{_slug(p.outlet).replace('-', '')} on X",
        f"Find us on: {' | '.join(nets)}", f"Connect with {p.outlet}",
    ))]


@_family("copyright")
def _copyright(p: _Page) -> list[str]:
    r = p.rng
    y = p.when.year
    return [r.choice((
        f"© {y} {p.outlet}. All rights reserved.", f"Copyright © {y} {p.outlet} Media Group Ltd",
        f"© {p.outlet} {y}", f"(c) {y} {p.outlet.upper()}", f"Copyright {y} {p.outlet}",
        f"© {y - r.randint(1, 30)}-{y} {p.outlet}", f"All content © {p.outlet}",
        f"© Copyright {p.outlet} {y}. All rights reserved.",
    ))]


@_family("legal_notice")
def _legal_notice(p: _Page) -> list[str]:
    r = p.rng
    return [r.choice(B.LEGAL_NOTICES).format(
        outlet=p.outlet, year=p.when.year, companyno=f"{r.randint(10**6, 10**7 - 1):08d}", address=p.address())]


@_family("tip_line")
def _tip_line(p: _Page) -> list[str]:
    r = p.rng
    return [r.choice((
        f"Got a news tip? Email us at tips@{p.domain}", f"Have a story to share? Contact {p.email()} or call {p.phone()}",
        f"Do you have a story? Get in touch: news@{p.domain}", f"Contact the newsdesk: {p.email()}",
        f"Spotted an error? Email corrections@{p.domain}",
    ))]


@_family("blog_sidebar")
def _blog_sidebar(p: _Page) -> list[str]:
    r = p.rng
    out = [r.choice(B.BLOG_SIDEBAR)]
    kind = r.randrange(3)
    for _ in range(r.randint(2, 5)):
        if kind == 0:
            out.append(p.headline())
        elif kind == 1:
            out.append(f"{r.choice(_MONTHS)} {r.randint(2016, 2025)}")
        else:
            out.append(f"{r.choice(B.TAGS[r.choice(TOPICS)])} ({r.randint(1, 240)})")
    return out


@_family("ad_block")
def _ad_block(p: _Page) -> list[str]:
    """Appended advertising: vendor promo, service list, author, contact, blank runs."""
    r = p.rng
    cat = B.VENDOR_CATEGORIES[r.choice(sorted(B.VENDOR_CATEGORIES))]
    vendor = f"{r.choice(B.VENDOR_PREFIXES)} {r.choice(cat['suffixes'])}"
    vdomain = _slug(vendor).replace("-", "") + r.choice(_TLDS)
    city = r.choice(B.CITIES)
    fmt = dict(vendor=vendor, noun=cat["noun"], city=city, city2=r.choice(B.CITIES), region=r.choice(B.REGIONS),
               year=r.randint(1968, 2020), num=r.randint(5, 45), rating=r.choice(("4.8", "4.9", "5", "4.7")),
               big=f"{r.randint(2, 90) * 100:,}", code=r.choice(("WELCOME10", "SAVE15", "FIRST20", "NEW10")))
    blank = lambda lo, hi: [""] * r.randint(lo, hi)  # noqa: E731
    out: list[str] = []
    if r.random() < 0.5:
        out.append(r.choice(B.SPONSOR_MARKERS).format(**fmt))
    if r.random() < 0.65:
        out.append(r.choice(B.VENDOR_PROMOS).format(**fmt))
        if r.random() < 0.4:
            out += blank(1, 2)
    out.append(_vary_case(r.choice(B.VENDOR_HEADERS), r, 0.1))
    bullet = r.choice(("- ", "- ", "• ", "* ", "✓ ", "", "→ ", "– "))
    for s in r.sample(cat["services"], min(len(cat["services"]), r.randint(3, 7))):
        out.append(bullet + _vary_case(s, r, 0.04, 0.04))
    if r.random() < 0.6:
        out += blank(1, 4)
    if r.random() < 0.35:
        out.append(r.choice((f"Why choose {vendor}?", "Why choose us?", "WHY US", "Why customers choose us:")))
        for s in r.sample(B.VENDOR_SELLING_POINTS, r.randint(2, 4)):
            out.append(bullet + s.format(**fmt))
        if r.random() < 0.5:
            out += blank(1, 2)
    if r.random() < 0.85:
        out.append(r.choice(B.VENDOR_AUTHOR_FORMS).format(**fmt))
    if r.random() < 0.9:
        email = r.choice(("info", "hello", "bookings", "contact", "enquiries", "office")) + "@" + vdomain
        phone, url = p.phone(), r.choice((f"www.{vdomain}", f"https://{vdomain}", f"https://www.{vdomain}/contact"))
        contact_forms = (
            f"Call us today: {phone}", f"Phone: {phone} | Email: {email}", f"Contact us on {phone} or visit {url}",
            f"Tel. {phone}", f"📞 {phone}", f"WhatsApp: {phone}", f"Visit us at {p.address()}",
            f"Email: {email}", f"Website: {url}", f"CALL NOW {phone}", f"For a free quote call {phone}",
            f"{p.address()} · {phone}", f"{url} | {phone} | {email}",
        )
        out.extend(r.sample(contact_forms, r.randint(1, 3)))
    if r.random() < 0.6:
        out += blank(2, 5)
    tail = r.random()
    if tail < 0.3:
        out.append(f"{r.choice(('Published:', 'Published', 'Posted:', 'Date:'))} {p.date(p.later())}")
    elif tail < 0.45:
        out.append(f"Tags: {', '.join(s.lower() for s in r.sample(cat['services'], 2))}, {city}")
    elif tail < 0.6:
        out.append(f"Copyright © {p.when.year} {vendor}. All rights reserved.")
    return out


BOILERPLATE_FAMILIES: tuple[str, ...] = tuple(FAMILIES)

# -- page layouts ------------------------------------------------------------------------------

# probabilities per family, per layout: (top, meta, end) sections, lead photo, mid-article rate
_LAYOUTS: dict[str, dict] = {
    "portal": dict(
        top={"cookie_notice": 0.12, "skip_links": 0.6, "masthead": 0.25, "ticker": 0.15, "nav_crumbs": 0.8,
             "breaking_label": 0.08, "section_label": 0.3},
        meta={"byline": 0.9, "dateline": 0.95, "reading_time": 0.35, "listen": 0.15, "share_bar": 0.65,
              "comment_count": 0.3},
        lead=0.7, mid=0.45,
        mid_w={"photo": 4, "ad_marker": 4, "teaser": 5, "video_block": 3, "newsletter": 2, "promo": 1,
               "social_embed": 1},
        end={"reporting_credit": 0.15, "author_bio": 0.15, "tags": 0.5, "share_bar": 0.4, "related_list": 0.8,
             "comment_prompt": 0.6, "newsletter": 0.4, "promo": 0.3, "tip_line": 0.15, "social_follow": 0.35,
             "footer_nav": 0.7, "legal_notice": 0.25, "copyright": 0.8, "cookie_notice": 0.25},
    ),
    "wire": dict(
        top={"nav_crumbs": 0.3, "section_label": 0.5, "masthead": 0.15},
        meta={"byline": 0.9, "dateline": 1.0, "share_bar": 0.2},
        lead=0.4, mid=0.12,
        mid_w={"photo": 3, "ad_marker": 3, "teaser": 2},
        end={"reporting_credit": 0.9, "related_list": 0.3, "legal_notice": 0.6, "copyright": 0.8},
    ),
    "blog": dict(
        top={"masthead": 0.7, "nav_crumbs": 0.5, "skip_links": 0.3},
        meta={"byline": 0.9, "dateline": 0.9, "comment_count": 0.5, "share_bar": 0.4},
        lead=0.4, mid=0.25,
        mid_w={"photo": 3, "ad_marker": 3, "teaser": 2, "social_embed": 2, "newsletter": 1},
        end={"tags": 0.9, "share_bar": 0.7, "related_list": 0.5, "comment_prompt": 0.9, "blog_sidebar": 0.7,
             "footer_nav": 0.3, "copyright": 0.6},
    ),
    "magazine": dict(
        top={"nav_crumbs": 0.6, "section_label": 0.7, "masthead": 0.4, "cookie_notice": 0.1},
        meta={"byline": 0.95, "reading_time": 0.8, "dateline": 0.8, "share_bar": 0.5},
        lead=0.9, mid=0.35,
        mid_w={"photo": 6, "ad_marker": 2, "teaser": 2, "newsletter": 2, "promo": 2, "social_embed": 1},
        end={"author_bio": 0.8, "newsletter": 0.6, "promo": 0.4, "related_list": 0.6, "social_follow": 0.5,
             "footer_nav": 0.5, "copyright": 0.6, "cookie_notice": 0.1},
    ),
    "minimal": dict(
        top={"nav_crumbs": 0.15},
        meta={"dateline": 0.6, "byline": 0.3},
        lead=0.1, mid=0.06,
        mid_w={"photo": 1, "ad_marker": 1},
        end={"share_bar": 0.3, "copyright": 0.6},
    ),
}
_LAYOUT_WEIGHTS = {"portal": 35, "wire": 18, "blog": 15, "magazine": 20, "minimal": 12}


def _blank_rule(lines: list[str], labels: list[int | None]) -> list[int]:
    """Label blank lines: 0 iff nearest non-blank neighbours above and below are both 0."""
    n = len(lines)
    out = [0 if lab is None else lab for lab in labels]
    prev: int | None = None
    above: list[int | None] = [None] * n
    for i in range(n):
        if lines[i].strip() == "":
            above[i] = prev
        else:
            prev = out[i]
    nxt: int | None = None
    for i in range(n - 1, -1, -1):
        if lines[i].strip() == "":
            out[i] = 0 if (above[i] == 0 and nxt == 0) else 1
        else:
            nxt = out[i]
    return out


def compose_article(
    paragraphs: list[str],
    rng: random.Random,
    *,
    headline: str | None = None,
    ad_block: bool | None = None,
    style: str | None = None,
    topic: str | None = None,
) -> tuple[list[str], list[int]]:
    """Wrap the given editorial paragraphs (each one line) in realistic boilerplate.

    Returns ``(lines, labels)`` with ``len(lines) == len(labels)``; labels 1 = boilerplate.
    Editorial paragraphs appear in order, unchanged, each labelled 0 (a paragraph containing
    "\\n" contributes one 0-labelled line per piece; whitespace-only paragraphs/pieces become blank
    lines, labelled by the blank-line rule of the module docstring; blank lines at the very start or
    end of the page are dropped).  ``headline`` (if given) is
    placed near the top and labelled 0.  ``ad_block`` None = random (~50%).  ``style`` is the page
    layout, one of :data:`PAGE_STYLES` (None = random).  ``topic`` (optional) makes section
    crumbs, captions and tags match the article; otherwise a random section is used.  Works with
    any number of paragraphs (>= 1), e.g. to wrap real article text for benchmarks.
    """
    if style is None:
        style = rng.choices(list(_LAYOUT_WEIGHTS), weights=list(_LAYOUT_WEIGHTS.values()))[0]
    if style not in _LAYOUTS:
        raise ValueError(f"unknown page style {style!r}; expected one of {PAGE_STYLES}")
    lay = _LAYOUTS[style]
    if ad_block is None:
        ad_block = rng.random() < 0.5
    page = _Page(rng, topic)
    page.avoid = tuple(x for x in [headline, *paragraphs] if x)
    page.words = sum(len(x.split()) for x in paragraphs)

    blocks: list[list[tuple[str, int | None]]] = []  # (line, label or None for blank lines)

    def bp(name: str) -> None:
        lines = FAMILIES[name](page)
        blocks.append([(ln, None if ln.strip() == "" else 1) for ln in lines])

    def maybe(section: dict[str, float]) -> None:
        for name, prob in section.items():
            if rng.random() < prob:
                bp(name)

    maybe(lay["top"])
    if headline is not None:
        blocks.append([(headline, 0)])
    meta = [n for n, prob in lay["meta"].items() if rng.random() < prob]
    if len(meta) > 1 and rng.random() < 0.3:
        rng.shuffle(meta)
    for name in meta:
        bp(name)
    if rng.random() < lay["lead"]:
        bp("photo")

    mid_names, mid_w = list(lay["mid_w"]), list(lay["mid_w"].values())
    max_mid = max(1, len(paragraphs) // 2)
    n_mid = 0
    for i, para in enumerate(paragraphs):
        pieces = para.split("\n")
        blocks.append([(pc, None if pc.strip() == "" else 0) for pc in pieces])
        if i < len(paragraphs) - 1 and n_mid < max_mid and rng.random() < lay["mid"]:
            bp(rng.choices(mid_names, weights=mid_w)[0])
            n_mid += 1

    end = [n for n, prob in lay["end"].items() if rng.random() < prob]
    if len(end) > 2 and rng.random() < 0.35:  # mild reordering of page furniture
        i, j = rng.sample(range(len(end)), 2)
        end[i], end[j] = end[j], end[i]
    ad_pos = len(end) if rng.random() < 0.7 else rng.randint(0, len(end))
    for k, name in enumerate(end + [None]):
        if ad_block and k == ad_pos:
            ad = FAMILIES["ad_block"](page)
            lead_blanks = rng.randint(1, 4) if rng.random() < 0.7 else 0
            blocks.append([("", None)] * lead_blanks + [(ln, None if ln.strip() == "" else 1) for ln in ad])
        if name is not None:
            bp(name)

    if not any(lab == 1 for block in blocks for _, lab in block):  # always some boilerplate
        name = rng.choice(("dateline", "copyright", "share_bar"))
        block = [(ln, None if ln.strip() == "" else 1) for ln in FAMILIES[name](page)]
        if name == "copyright":
            blocks.append(block)
        else:
            blocks.insert(int(headline is not None and blocks[0][0][0] == headline), block)

    spacing = rng.choices(("blank", "none", "mixed"), weights=(45, 25, 30))[0]
    lines: list[str] = []
    raw: list[int | None] = []
    for bi, block in enumerate(blocks):
        if bi:
            if spacing == "blank":
                gap = 1
            elif spacing == "none":
                gap = 0
            else:
                gap = rng.choice((0, 1, 1, 2))
            lines.extend([""] * gap)
            raw.extend([None] * gap)
        for ln, lab in block:
            lines.append(ln)
            raw.append(lab)
    # no leading/trailing blank lines
    while lines and lines[0].strip() == "":
        lines.pop(0)
        raw.pop(0)
    while lines and lines[-1].strip() == "":
        lines.pop()
        raw.pop()
    return lines, _blank_rule(lines, raw)


# ---------------------------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------------------------


def _curly(s: str) -> str:
    s = re.sub(r"(?<=\w)'(?=\w)", "\u2019", s)
    s = re.sub(r"(^|[\s(\[\u2014\"])'", "\\1\u2018", s)
    s = s.replace("'", "\u2019")
    s = re.sub(r"(^|[\s(\[\u2014\u2018])\"", "\\1\u201c", s)
    s = s.replace('"', "\u201d")
    return s.replace(" - ", " \u2014 ")


def _whitespace_noise(lines: list[str], rng: random.Random) -> list[str]:
    out = []
    for ln in lines:
        if rng.random() < 0.2:
            op = rng.randrange(5)
            spaces = [m.start() for m in re.finditer(" ", ln)]
            if ln.strip() == "":
                ln = ln + " " * rng.randint(1, 3)
            elif op == 0 and spaces:  # non-breaking space
                i = rng.choice(spaces)
                ln = ln[:i] + "\u00a0" + ln[i + 1:]
            elif op == 1 and spaces:  # doubled space
                i = rng.choice(spaces)
                ln = ln[:i] + "  " + ln[i + 1:]
            elif op == 2:  # trailing whitespace
                ln = ln + rng.choice((" ", "  ", "\t", " \u00a0"))
            elif op == 3:  # zero-width space inside the line
                i = rng.randint(1, len(ln))
                ln = ln[:i] + "\u200b" + ln[i:]
            else:  # leading space
                ln = rng.choice((" ", "\u00a0", "\u200b")) + ln
        out.append(ln)
    return out


def _near_duplicate(rec: dict, rng: random.Random) -> dict:
    lines = rec["text"].split("\n")
    labels = list(rec["line_labels"])
    page = _Page(rng, rec["topic"])
    for _ in range(10):
        new_lines, new_labels = list(lines), list(labels)
        op = rng.randrange(4)
        bp_idx = [i for i, (ln, lab) in enumerate(zip(lines, labels)) if lab == 1 and ln.strip()]
        ed_idx = [i for i, (ln, lab) in enumerate(zip(lines, labels)) if lab == 0 and re.search(r"\d", ln)]
        if op == 0 and bp_idx:  # boilerplate line varied
            i = rng.choice(bp_idx)
            new_lines[i] = FAMILIES[rng.choice(("dateline", "comment_count", "reading_time", "copyright"))](page)[0]
        elif op == 1 and ed_idx:  # a figure corrected in the editorial text
            i = rng.choice(ed_idx)
            m = list(re.finditer(r"\d+", lines[i]))[0]
            new_lines[i] = lines[i][: m.start()] + str(int(m.group()) + rng.randint(1, 9)) + lines[i][m.end():]
        elif op == 2:  # an "Updated" stamp added at the top
            new_lines.insert(0, f"Updated: {page.date(page.later())}")
            new_labels.insert(0, 1)
        elif op == 3 and len(bp_idx) >= 2 and bp_idx[-1] == len(lines) - 1:  # last footer line dropped
            del new_lines[-1], new_labels[-1]
            while new_lines and new_lines[-1].strip() == "":
                del new_lines[-1], new_labels[-1]
        else:
            continue
        if new_lines != lines:
            raw = [None if ln.strip() == "" else lab for ln, lab in zip(new_lines, new_labels)]
            return {"text": "\n".join(new_lines), "topic": rec["topic"], "line_labels": _blank_rule(new_lines, raw)}
    new_lines = [f"Updated: {page.date(page.later())}"] + lines
    raw = [1] + [None if ln.strip() == "" else lab for ln, lab in zip(lines, labels)]
    return {"text": "\n".join(new_lines), "topic": rec["topic"], "line_labels": _blank_rule(new_lines, raw)}


def generate_corpus(n_articles: int = 320, seed: int = 13) -> list[dict]:
    """Records ``{"id", "text", "topic", "line_labels"}``, deterministic for a given seed."""
    if n_articles < 1:
        return []
    rng = random.Random(seed)
    n_exact = round(n_articles * 0.02)
    n_near = round(n_articles * 0.02)
    n_orig = n_articles - n_exact - n_near
    topics = [TOPICS[i % len(TOPICS)] for i in range(n_orig)]
    rng.shuffle(topics)
    n_moji = round(n_orig * 0.03)
    moji = set(rng.sample(range(n_orig), n_moji)) if n_moji else set()

    records: list[dict] = []
    for i, topic in enumerate(topics):
        arng = random.Random(rng.getrandbits(64))
        headline, paragraphs, _estyle = _write_editorial(topic, arng)
        lines, labels = compose_article(paragraphs, arng, headline=headline, topic=topic)
        if i in moji or arng.random() < 0.5:
            lines = [_curly(ln) for ln in lines]
        if i in moji:
            lines = [mojibake(ln) for ln in lines]
        if arng.random() < 0.1:
            lines = _whitespace_noise(lines, arng)
        records.append({"text": "\n".join(lines), "topic": topic, "line_labels": labels})

    for src in rng.sample(range(n_orig), n_exact) if n_exact else []:
        records.append(dict(records[src], line_labels=list(records[src]["line_labels"])))
    for src in rng.sample(range(n_orig), n_near) if n_near else []:
        records.append(_near_duplicate(records[src], random.Random(rng.getrandbits(64))))

    rng.shuffle(records)
    return [{"id": f"sample-{i:04d}", **rec} for i, rec in enumerate(records)]


def write_corpus(path, n_articles: int = 320, seed: int = 13) -> int:
    """Write the corpus as JSONL (UTF-8, one record per line); return the number of records."""
    from newssift.files import write_jsonl

    return write_jsonl(path, generate_corpus(n_articles, seed))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newssift.synthetic.generator", description=__doc__.split("\n")[0])
    parser.add_argument("--output", default="data/sample/corpus.jsonl", help="JSONL file to write")
    parser.add_argument("--n-articles", type=int, default=320, help="number of records (default 320)")
    parser.add_argument("--seed", type=int, default=13, help="random seed (default 13)")
    args = parser.parse_args(argv)
    n = write_corpus(args.output, args.n_articles, args.seed)
    print(f"wrote {n} articles ({len(TOPICS)} topics, seed {args.seed}) to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
