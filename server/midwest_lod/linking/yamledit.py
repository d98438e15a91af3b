"""Setting one top-level field of a YAML file *textually*, so comments and layout survive.

A YAML round trip (load, change, dump) loses comments and reformats the steward's file. Here
the field's block — its ``key:`` line at column 0 and every line up to the next top-level key,
without the blank lines and column-0 comments that introduce that next key — is replaced, or,
when the field is absent, a new block is inserted after the block of the last field that
should precede it. The result is parsed again and must equal the old content with only that
field changed; anything else is refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import yaml

from midwest_lod.errors import LinkError

_TOP_KEY = re.compile(r"""^(?:"([^"]+)"|'([^']+)'|([A-Za-z_][\w-]*))\s*:(?:\s|$)""")


def quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _top_keys(lines: list[str], where: str) -> list[tuple[int, str]]:
    keys: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        if not line.strip() or line[0] in " \t#":
            continue
        if line.startswith(("---", "...")):
            if keys:
                raise LinkError(f"{where}: holds more than one YAML document; edit it by hand")
            continue
        match = _TOP_KEY.match(line)
        if not match:
            raise LinkError(f"{where}, line {index + 1}: not a top-level `field: value` line; "
                            "the file must be a YAML mapping written in block style")
        keys.append((index, next(g for g in match.groups() if g is not None)))
    return keys


def _block_end(lines: list[str], start: int, next_key: int) -> int:
    end = next_key
    while end > start + 1 and (not lines[end - 1].strip() or lines[end - 1].startswith("#")):
        end -= 1
    return end


def set_block(text: str, key: str, block: str, *, after: Sequence[str],
              expected: Any, where: str) -> str:
    """``text`` with the top-level field ``key`` set to ``block`` (its full text).

    ``after``: the fields the new block should follow when ``key`` is absent (the last of them
    present in the file is the anchor). ``expected``: the value ``key`` must parse to.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    block_lines = [line + newline for line in block.rstrip("\n").split("\n")]
    lines = text.splitlines(keepends=True)
    keys = _top_keys(lines, where)
    positions = [index for index, _ in keys] + [len(lines)]
    names = [name for _, name in keys]
    if names.count(key) > 1:
        raise LinkError(f"{where}: the field {key!r} appears more than once")
    if key in names:
        at = names.index(key)
        start, end = positions[at], _block_end(lines, positions[at], positions[at + 1])
        new_lines = lines[:start] + block_lines + lines[end:]
    else:
        anchors = [i for i, name in enumerate(names) if name in after]
        if anchors:
            at = anchors[-1]
            insert = _block_end(lines, positions[at], positions[at + 1])
        else:
            insert = len(lines)
        head = lines[:insert]
        if head and not head[-1].endswith(("\n", "\r")):
            head[-1] += newline
        new_lines = head + block_lines + lines[insert:]
    new_text = "".join(new_lines)
    _verify(text, new_text, key, expected, where)
    return new_text


def _verify(old: str, new: str, key: str, expected: Any, where: str) -> None:
    try:
        before = yaml.safe_load(old) or {}
        after = yaml.safe_load(new)
    except yaml.YAMLError as exc:
        raise LinkError(f"{where}: cannot be edited safely (invalid YAML: {exc})") from exc
    if not isinstance(before, dict) or not isinstance(after, dict):
        raise LinkError(f"{where}: the file must be a YAML mapping")
    changed = dict(before)
    changed[key] = expected
    if after != changed:
        raise LinkError(f"{where}: setting {key!r} textually would change other fields; edit "
                        "the file by hand")
