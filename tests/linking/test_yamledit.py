"""Setting a top-level YAML field textually: comments and layout survive, or it is refused."""

from __future__ import annotations

import pytest
import yaml

from midwest_lod.errors import LinkError
from midwest_lod.linking.yamledit import set_block

BLOCK = 'enterprise_number:\n  value: "0203.201.340"\n  sources: [https://example.org/a]\n'
VALUE = {"value": "0203.201.340", "sources": ["https://example.org/a"]}
AFTER = ("key", "name", "sources", "legal_name", "legal_form")


def edit(text: str) -> str:
    return set_block(text, "enterprise_number", BLOCK, after=AFTER, expected=VALUE,
                     where="actors/x.yaml")


def test_inserted_after_the_preceding_fields_with_comments_kept() -> None:
    text = ("# head comment\nkey: x\nname: X  # inline comment\nsources:\n  - https://e.org\n"
            "\n# about the legal form\nlegal_form:\n  value: vzw\n  sources: [https://e.org]\n"
            "\n# about the description\ndescription: >-\n  Text\n# trailing comment\n")
    new = edit(text)
    assert new == text.replace("\n# about the description",
                               BLOCK + "\n# about the description")
    assert yaml.safe_load(new)["enterprise_number"] == VALUE


def test_replaced_in_place() -> None:
    text = ("key: x\nname: X\nenterprise_number: {value: '0200.065.765', sources: [https://o]}"
            "\n# keep me\ndescription: D\n")
    new = edit(text)
    assert new == "key: x\nname: X\n" + BLOCK + "# keep me\ndescription: D\n"


def test_replaced_multi_line_block_with_inner_comment() -> None:
    text = ("key: x\nenterprise_number:\n  value: '0200.065.765'\n# a column-0 comment inside\n"
            "  sources:\n    - https://o\n\nname: X\n")
    assert edit(text) == "key: x\n" + BLOCK + "\nname: X\n"


def test_crlf_and_missing_final_newline() -> None:
    text = "key: x\r\nname: X"
    new = edit(text)
    assert new == "key: x\r\nname: X\r\n" + BLOCK.replace("\n", "\r\n")


def test_appended_when_no_preceding_field() -> None:
    assert edit("description: D\n") == "description: D\n" + BLOCK


@pytest.mark.parametrize("text, message", [
    ("- a\n- b\n", "not a top-level"),
    ("key: x\n---\nkey: y\n", "more than one YAML document"),
    ("key: x\nenterprise_number: 1\nenterprise_number: 2\n", "more than once"),
    ("key: [a,\nb]\n", "not a top-level"),
])
def test_refused(text: str, message: str) -> None:
    with pytest.raises(LinkError, match=message):
        edit(text)


def test_refused_when_the_result_would_differ() -> None:
    # a "keep" block scalar owns its trailing blank lines: inserting before them changes it
    text = "key: x\nname: X\nlegal_form: |+\n  text\n\n\ndescription: D\n"
    with pytest.raises(LinkError, match="would change other fields"):
        edit(text)
