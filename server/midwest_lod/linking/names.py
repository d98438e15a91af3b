"""Comparing organisation names: normalisation and a difflib-based similarity.

A name is normalised by removing accents, case and punctuation, by dropping legal-form words
(``vzw``, ``v.z.w.``, ``asbl``, ``bv``, ``nv``, "vereniging zonder winstoogmerk", …) and by
reading ``&`` as ``en``. Two names are compared as the better of two difflib ratios: on the
normalised text and on its words sorted (so that word order does not matter).
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

#: Legal-form words and phrases (NL, FR, DE, EN abbreviations) that say nothing about identity.
LEGAL_FORM_PHRASES = (
    "vereniging zonder winstoogmerk", "internationale vereniging zonder winstoogmerk",
    "association sans but lucratif", "association internationale sans but lucratif",
    "besloten vennootschap", "naamloze vennootschap", "cooperatieve vennootschap",
    "vennootschap met sociaal oogmerk", "societe cooperative", "societe anonyme",
    "societe a responsabilite limitee", "stichting van openbaar nut", "private stichting",
)
LEGAL_FORM_WORDS = frozenset({
    "vzw", "ivzw", "asbl", "aisbl", "vog", "bv", "bvba", "nv", "cv", "cvba", "cvoa", "cvso",
    "vso", "vof", "commv", "comm", "va", "esv", "sa", "srl", "sprl", "sc", "scrl", "scs",
    "sca", "snc", "scri", "gie", "fup", "fp", "ltd",
})
_PUNCT = re.compile(r"[^\w\s]|_")
_DOTTED = re.compile(r"\b(?:\w\.){2,}")  # v.z.w. -> vzw (before punctuation becomes space)


_PHRASES = re.compile(r"\b(?:" + "|".join(LEGAL_FORM_PHRASES) + r")\b")


def _fold(text: str) -> str:
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def normalise(name: str) -> str:
    """The comparable form of an organisation name."""
    text = _fold(name).replace("&", " en ")
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _PUNCT.sub(" ", text)
    text = " ".join(text.split())
    text = _PHRASES.sub(" ", text)
    words = [w for w in text.split() if w not in LEGAL_FORM_WORDS]
    return " ".join(words)


def removed_words(name: str) -> list[str]:
    """The legal-form words :func:`normalise` drops from ``name`` (for the review reasons)."""
    text = _PUNCT.sub(" ", _DOTTED.sub(lambda m: m.group(0).replace(".", ""), _fold(name)))
    return [w for w in text.split() if w in LEGAL_FORM_WORDS]


def normalise_place(name: str) -> str:
    """A municipality name for comparison ("Sint-Eloois-Winkel" = "sint eloois winkel")."""
    return " ".join(_PUNCT.sub(" ", _fold(name)).split())


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """Similarity (0–1) of two *normalised* names; 0 when it cannot reach ``floor``."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.quick_ratio() < floor:  # an upper bound of both ratios below (same letters)
        return 0.0
    direct = matcher.ratio()
    sorted_a, sorted_b = " ".join(sorted(a.split())), " ".join(sorted(b.split()))
    reordered = SequenceMatcher(None, sorted_a, sorted_b, autojunk=False).ratio()
    return max(direct, reordered)


def trigrams(normalised: str) -> set[str]:
    """Character trigrams of a normalised name, padded (a cheap pre-filter)."""
    padded = f"  {normalised} "
    return {padded[i:i + 3] for i in range(len(padded) - 2)}
