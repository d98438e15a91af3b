"""Belgian enterprise numbers (KBO/BCE): normalising, the mod-97 check, display, search URL."""

from __future__ import annotations

import re

from midwest_lod.errors import LinkError

KBO_SEARCH_URL = "https://kbopub.economie.fgov.be/kbopub/zoeknummerform.html?nummer={digits}"
_SEPARATORS = re.compile(r"[\s.\-/]")


def digits_of(number: str) -> str:
    """The digits of an enterprise number as written (``0123.456.749``, ``BE 0123 456 749``)."""
    text = _SEPARATORS.sub("", number.strip())
    if text[:2].upper() == "BE":
        text = text[2:]
    if len(text) == 9 and text.isdigit():  # old 9-digit numbers get a leading 0
        text = "0" + text
    return text


def is_valid(digits: str) -> bool:
    """10 digits, first 0 or 1, and (first 8 digits + last 2) mod 97 = 0 (standards §2.5)."""
    if len(digits) != 10 or not digits.isdigit() or digits[0] not in "01":
        return False
    return (int(digits[:8]) + int(digits[8:])) % 97 == 0


def check(number: str) -> str:
    """The 10 digits of a valid enterprise number, or a :class:`LinkError` saying why not."""
    digits = digits_of(number)
    if len(digits) != 10 or not digits.isdigit() or digits[0] not in "01":
        raise LinkError(f"{number!r} is not an enterprise number (10 digits starting with 0 or 1,"
                        " e.g. 0123.456.749)")
    if not is_valid(digits):
        raise LinkError(f"{number!r} fails the mod-97 check of enterprise numbers (a typing "
                        "error?)")
    return digits


def dotted(digits: str) -> str:
    """``0123456749`` → ``0123.456.749`` (the KBO display form)."""
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def search_url(digits: str) -> str:
    """The KBO public search page of an enterprise number."""
    return KBO_SEARCH_URL.format(digits=digits)
