"""Home page, index pages, health, and the HTML's manners (landmarks, scripts only from the
built bundle of this origin)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from midwest_lod.web.blueprints.home import INDEXES

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Checker(HTMLParser):
    """Checks that elements nest and collects what accessibility needs."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self.scripts.append(dict(attrs))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else ''}>")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
        else:
            self.stack.pop()


def check_page(text: str, lang: str = "nl") -> Checker:
    assert text.startswith("<!DOCTYPE html>")
    checker = Checker()
    checker.feed(text)
    assert checker.errors == []
    assert checker.stack == []
    names = [tag for tag, _ in checker.tags]
    assert names.count("main") == 1 and "nav" in names and "header" in names
    assert names.count("h1") == 1
    assert ("html", {"lang": lang}) in checker.tags
    # no inline executable script: data blocks (JSON-LD, the editor's settings) and, on the
    # query page, the editor bundle from this origin; on every page, the suggestion script
    for script in checker.scripts:
        if script.get("type") in ("application/ld+json", "application/json"):
            continue
        assert (script.get("src") or "").startswith(
            ("/static/dist/editor-", "/static/dist/suggest-")), script
    ids = [a["id"] for _, a in checker.tags if "id" in a]
    assert len(ids) == len(set(ids))
    return checker


PAGES = ["/", "/sparql", "/dumps/", "/ns/sociale-economie", "/doc/organisatie/mariasteen",
         "/doc/gemeente/36015", "/doc/conceptscheme/Thema", "/doc/organisatie/bestaat-niet",
         *[f"/{index.slug}" for index in INDEXES]]


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_well_formed_and_accessible(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/html"})
    assert response.status_code in (200, 404)
    checker = check_page(response.get_data(as_text=True))
    labelled = {a.get("for") for tag, a in checker.tags if tag == "label"}
    for tag, attrs in checker.tags:
        if tag in ("textarea", "select", "input"):
            assert attrs.get("id") in labelled, attrs
    assert response.headers["Content-Security-Policy"]


def test_home_links_endpoint_dumps_vocabulary_and_indexes(client: FlaskClient) -> None:
    text = client.get("/").get_data(as_text=True)
    for link in ['href="/sparql"', 'href="/ns/sociale-economie"', 'href="/dumps/',
                 *[f'href="/{index.slug}"' for index in INDEXES]]:
        assert link in text
    block = text.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    data = json.loads(block)
    assert data["@type"] == "Dataset" and len(data["distribution"]) == 4


@pytest.mark.parametrize(("slug", "expected"), [
    ("actoren", "Mariasteen"), ("gemeenten", "Roeselare"), ("gemeenten", "36015"),
    ("initiatieftypes", "Maatwerkbedrijf"), ("themas", "href=\"/doc/concept/Thema/"),
    ("basisprincipes", "href=\"/doc/concept/Basisprincipe/"),
])
def test_index_pages_list_their_members(client: FlaskClient, slug: str, expected: str) -> None:
    response = client.get(f"/{slug}")
    assert response.status_code == 200
    assert expected in response.get_data(as_text=True)


def test_index_of_actors_has_all_ten(client: FlaskClient) -> None:
    text = client.get("/actoren").get_data(as_text=True)
    assert text.count('href="/doc/organisatie/') == 10


def test_unknown_index_is_404(client: FlaskClient) -> None:
    assert client.get("/onbekend").status_code == 404


def test_health(client: FlaskClient, real_publication: Path) -> None:
    for path in ("/health", "/-/health"):
        data = client.get(path).get_json()
        assert data["ok"] is True
        assert data["version"] == (real_publication / "current").resolve().name


def test_health_without_publication(tmp_path: Path, real_publication: Path) -> None:
    import os
    import shutil

    from midwest_lod.web import create_app

    out = tmp_path / "out"
    shutil.copytree(real_publication, out, symlinks=True)
    app = create_app({"output_dir": out, "TESTING": True})
    client = app.test_client()
    assert client.get("/health").status_code == 200
    os.unlink(out / "current")
    # the last good version keeps being served; a fresh application says what to do
    assert client.get("/health").status_code == 200
    from midwest_lod.errors import PublicationError

    with pytest.raises(PublicationError, match="midwest-lod build"):
        create_app({"output_dir": out})
