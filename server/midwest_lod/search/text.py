"""Text folded for matching: the same function prepares what is indexed and what is asked.

``Sint-Eloois-Winkel``, ``sint eloois winkel`` and ``SINT-ELOOIS-WINKEL`` fold to the same words;
``coördinatiebureau`` to ``coordinatiebureau``; ``Mariasteen v.z.w.`` to ``mariasteen`` (legal-form
words are dropped unless nothing else is left, so ``vzw`` alone still finds the legal form).
"""

from __future__ import annotations

import re
import unicodedata

#: Words naming a Belgian legal form: they do not tell organisations apart, so they are left out
#: of matching ("Mariasteen vzw" finds Mariasteen).
LEGAL_FORM_WORDS = frozenset({
    "vzw", "ivzw", "cvba", "cvso", "bv", "bvba", "nv", "cv", "vof", "commv", "esv", "asbl", "sprl",
    "srl", "sa", "sc", "scrl",
})
#: Articles a name may start with, and that a spreadsheet often leaves out ("Lochting" for
#: "De Lochting", "Tatsevoet" for "Den Tatsevoet", "Buurtwinkeltje" for "'t Buurtwinkeltje").
ARTICLES = frozenset({"de", "het", "t", "den", "der"})
#: An abbreviation written with full stops ("v.z.w.", "c.v.b.a."): read without them.
_DOTTED = re.compile(r"\b(?:[^\W\d_]\.){2,}")
#: Apostrophes join a word ("Thema's" is "themas").
_APOSTROPHES = re.compile(r"['\u2019\u02bc]")
_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Lower case without accents, every run of punctuation and spaces one space."""
    if "." in text:
        text = _DOTTED.sub(lambda found: found.group().replace(".", ""), text)
    text = _APOSTROPHES.sub("", text)
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_WORD.sub(" ", bare.casefold()).strip()


def words(text: str) -> list[str]:
    """The folded words of ``text``, legal-form words left out unless they are all there is."""
    found = fold(text).split()
    kept = [word for word in found if word not in LEGAL_FORM_WORDS]
    return kept or found


def key(text: str) -> str:
    """The folded form of a whole label or query, as compared for exact and prefix matches."""
    return " ".join(words(text))


def without_articles(found: list[str]) -> list[str]:
    """Folded words without the articles a name starts with (``de lochting`` → ``lochting``),
    unless nothing else is left."""
    start = 0
    while start < len(found) - 1 and found[start] in ARTICLES:
        start += 1
    return found[start:]
