"""YAML is read with the line of every mapping, key and list item (pipeline/sources.py): the
lines are those of PyYAML's own pure-Python composer, and the values those of its safe loader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from midwest_lod.errors import SourceError
from midwest_lod.pipeline.sources import Mapping, Sequence, SourceFile, load_yaml

TEXT = """\
# an organisation
key: test
name: Test
founded: {value: 1963, sources: [https://example.org/a]}
date: 2021-12-01
flag: yes
count: 12
ratio: 0.5
empty:
quoted: "2021"
base: &base
  street: Kerkstraat
  number: '12'
sites:
  - key: a
    address: *base
  - key: b
    address:
      <<: *base
      postcode: 8700
  -
    - nested
    - [flow, list]
notes: |
  two
  lines
"""


def _load(text: str) -> Any:
    return load_yaml(SourceFile(Path("."), "actors/test.yaml", text.encode("utf-8")))


def _walk(ours: Any, node: yaml.Node, plain: Any) -> None:
    """Our value against PyYAML's pure-Python node (lines) and safe loader (values)."""
    if isinstance(node, yaml.MappingNode):
        assert isinstance(ours, Mapping) and ours.line == node.start_mark.line + 1
        keys = {str(k.value): k for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"}
        for name, key_node in keys.items():
            assert ours.line_of(name) == key_node.start_mark.line + 1, name
        for key_node, value_node in node.value:
            if key_node.tag != "tag:yaml.org,2002:merge":
                _walk(ours[str(key_node.value)], value_node, plain[key_node.value])
    elif isinstance(node, yaml.SequenceNode):
        assert isinstance(ours, Sequence) and ours.line == node.start_mark.line + 1
        assert ours.lines == [child.start_mark.line + 1 for child in node.value]
        for item, child, value in zip(ours, node.value, plain, strict=True):
            _walk(item, child, value)
    else:
        expected = str(plain) if node.tag == "tag:yaml.org,2002:timestamp" else plain
        assert ours == expected and type(ours) is type(expected)


def test_lines_and_values_are_pyyamls() -> None:
    ours = _load(TEXT)
    node = yaml.compose(TEXT, Loader=yaml.SafeLoader)  # the pure-Python composer
    _walk(ours, node, yaml.load(TEXT, Loader=yaml.SafeLoader))  # noqa: S506 - safe loader
    assert ours["sites"][1]["address"] == {"street": "Kerkstraat", "number": "12",
                                           "postcode": 8700}
    assert ours["date"] == "2021-12-01" and ours["flag"] is True and ours["empty"] is None


@pytest.mark.parametrize("text", ["a: &x {b: *x}\n", "- &y [*y]\n"])
def test_an_alias_inside_its_own_anchor_is_a_source_error(text: str) -> None:
    with pytest.raises(SourceError) as raised:
        _load(text)
    assert raised.value.path == "actors/test.yaml" and raised.value.line == 1
    assert "recursive" in str(raised.value)


@pytest.mark.parametrize(("text", "line", "message"), [
    ("a: 1\nb: 2\na: 3\n", 3, "appears twice"),
    ("a: 1\n? [x]\n: 2\n", 2, "a key must be text"),
])
def test_a_bad_key_names_its_line(text: str, line: int, message: str) -> None:
    with pytest.raises(SourceError) as raised:
        _load(text)
    assert raised.value.line == line and message in str(raised.value)
