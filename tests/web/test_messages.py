"""The message catalogue (web/messages.toml): complete in both languages, every key used
exists and every key is used, and the templates write no interface text of their own."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from midwest_lod.search.index import TIERS
from midwest_lod.web import i18n
from midwest_lod.web.blueprints.home import INDEXES

WEB = Path(i18n.__file__).parent
TEMPLATES = sorted((WEB / "templates").glob("*.html"))
FRONTEND = Path(__file__).parents[2] / "frontend" / "src"
_TEMPLATE_KEY = re.compile(r"""\b(?:tn?|t_or)\(\s*["']([\w.]+)["']""")
_PYTHON_KEY = re.compile(r"""\bi18n\.(?:t|tn|text)\(\s*["']([\w.]+)["']""")
_SCRIPT_KEY = re.compile(r"""\bt\(\s*'(\w+)'""")
#: Words a template may write as they are: names, formats, protocol words, code.
NOT_TRANSLATED = {"SPARQL", "SHA-256", "JSON", "CSV", "IRI", "API", "UTC", "gzip", "curl",
                  "midwest-lod", "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "Python",
                  "SPARQLWrapper", "JavaScript", "fetch", "R", "httr2"}


def _keys_in(pattern: re.Pattern[str], files: list[Path]) -> set[str]:
    return {key for path in files for key in pattern.findall(path.read_text(encoding="utf-8"))}


def test_catalogue_is_complete_in_both_languages() -> None:
    catalogue = i18n.load_catalogue()  # raises on a key without both languages
    assert len(catalogue) > 100
    for key, entry in catalogue.items():
        assert set(entry) == {"nl", "en"}, key


def test_every_key_used_exists_and_every_key_is_used() -> None:
    catalogue = i18n.catalogue()
    used = _keys_in(_TEMPLATE_KEY, TEMPLATES) | _keys_in(
        _PYTHON_KEY, sorted(WEB.parent.rglob("*.py")))
    dynamic = ({f"index.{index.slug}.{part}" for index in INDEXES for part in ("title", "intro")}
               | {f"search.found_in.{tier}" for tier in TIERS})
    script = {f"editor.{key}" for key in _keys_in(_SCRIPT_KEY, sorted(FRONTEND.glob("*.js")))}
    assert script, "the editor's script asks for its texts with t('key')"
    # the templates build these keys from a name
    prefixes = {"index.", "search.found_in.", "home.counts."}
    used = {key for key in used if key not in prefixes}
    assert sorted(used - set(catalogue)) == []
    assert sorted(dynamic - set(catalogue)) == []
    assert sorted(script - set(catalogue)) == []
    # error.title.* are looked up by the error's title (web/errors.py), home.counts.* by the
    # names of build.json's counts
    unused = set(catalogue) - used - dynamic - script
    assert sorted(k for k in unused if not k.startswith(("error.title.", "home.counts."))) == []


def test_editor_texts_are_plain_text() -> None:
    for lang in i18n.LANGUAGES:
        for key, text in i18n.section("editor", lang).items():
            forms = text.values() if isinstance(text, dict) else [text]
            assert not any(c in form for form in forms for c in "<>&"), (lang, key)


@pytest.mark.parametrize(("toml", "message"), [
    ('[a]\nb.nl = "x"\n', "exactly"),
    ('[a]\nb.nl = "x {n}"\nb.en = "y"\n', "placeholders"),
    ('[a]\nb.nl = { one = "x", other = "y" }\nb.en = "z"\n', "counted"),
    ('[a]\nb.nl = { one = "x" }\nb.en = { one = "x" }\n', "forms"),
    ('[a]\nb.nl = ""\nb.en = "y"\n', "non-empty"),
    ('[a]\nb = "x"\n', "not a table"),
    ('[a\n', "messages.toml"),
])
def test_a_malformed_catalogue_names_the_key(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "messages.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(i18n.CatalogueError, match=message) as caught:
        i18n.load_catalogue(path)
    assert str(path) in str(caught.value)


class _Words(HTMLParser):
    """The words a template writes itself (text and the attributes people read), outside
    Jinja expressions and statements and outside code."""

    READ = ("title", "aria-label", "alt", "placeholder", "label")

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("code", "pre", "script", "style"):
            self.code += 1
        for name, value in attrs:
            if name in self.READ and value:
                self.words += re.findall(r"[^\W\d_][\w'’-]+", value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "pre", "script", "style"):
            self.code -= 1

    def handle_data(self, data: str) -> None:
        if not self.code:
            self.words += re.findall(r"[^\W\d_][\w'’-]+", data)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_templates_write_no_text_of_their_own(template: Path) -> None:
    source = template.read_text(encoding="utf-8")
    # Jinja: expressions and statements become a placeholder word nobody writes
    bare = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", " ", source, flags=re.S)
    parser = _Words()
    parser.feed(bare)
    assert [w for w in parser.words if w not in NOT_TRANSLATED] == []
