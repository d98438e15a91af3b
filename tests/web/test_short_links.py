"""Retention of the query editor's short links (``/sparql/q/<id>``, web/links.py): the same
query is one stored file however often it is linked, the store holds at most
``stored_queries_max`` queries (507 beyond, existing links still open), opening a link marks
it used, and ``midwest-lod prune-links`` removes only those unused for the given time. Through
a real server process and the real command."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.web.helpers import DATA_DIR, ServerProcess, publish_trig

pytestmark = pytest.mark.server

QUERY = {"Content-Type": "application/sparql-query", "Accept": "application/json"}
LIMIT = 3
DAY = 86400


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[ServerProcess, Path]]:
    out = tmp_path / "var"
    publish_trig(out, DATA_DIR / "publication.trig")
    server = ServerProcess.start(out, tmp_path / "server.log", stored_queries_max=LIMIT)
    try:
        yield server, out
    finally:
        server.stop()


def link(server: ServerProcess, text: str) -> requests.Response:
    return requests.post(server.url + "/sparql/links", data=text.encode(), headers=QUERY,
                         timeout=10)


def stored(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "links").glob("*.rq"))


def test_repeating_a_query_stores_it_once(served: tuple[ServerProcess, Path]) -> None:
    server, out = served
    text = "SELECT ?s WHERE {\n  ?s ?p ?o\n}\n"
    answers = [link(server, t) for t in (text, text, text.replace("\n", "\r\n"), text)]
    assert [a.status_code for a in answers] == [201, 200, 200, 200]
    assert len({a.json()["id"] for a in answers}) == 1, "line ends do not make a new link"
    assert stored(out) == [answers[0].json()["id"] + ".rq"]


def test_the_store_is_bounded_and_full_keeps_old_links(
        served: tuple[ServerProcess, Path]) -> None:
    server, out = served
    made = [link(server, f"ASK {{ ?s ?p {n} }}") for n in range(LIMIT)]
    assert [m.status_code for m in made] == [201] * LIMIT
    refused = link(server, "ASK { ?s ?p 99 }")
    assert refused.status_code == 507
    assert f"at most {LIMIT}" in refused.text
    assert len(stored(out)) == LIMIT
    again = link(server, "ASK { ?s ?p 0 }")  # an existing one is not new: still answered
    assert (again.status_code, again.json()) == (200, made[0].json())
    page = requests.get(server.url + made[1].json()["url"], timeout=10)
    assert page.status_code == 200 and "?s ?p 1" in page.text


def test_prune_removes_only_links_unused_for_the_time(served: tuple[ServerProcess, Path]
                                                       ) -> None:
    server, out = served
    old, used, fresh = (link(server, f"ASK {{ ?s ?p {n} }}").json() for n in range(3))
    long_ago = time.time() - 40 * DAY
    for key in (old["id"], used["id"]):
        os.utime(out / "links" / f"{key}.rq", (long_ago, long_ago))
    assert requests.get(server.url + used["url"], timeout=10).status_code == 200  # a use
    assert (out / "links" / f"{used['id']}.rq").stat().st_mtime > long_ago
    done = subprocess.run(
        [sys.executable, "-m", "midwest_lod", "--output-dir", str(out), "prune-links",
         "--unused-days", "30"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "removed 1 stored queries" in done.stdout
    assert stored(out) == sorted(f"{k['id']}.rq" for k in (used, fresh))
    assert requests.get(server.url + old["url"], timeout=10).status_code == 404
    assert link(server, "ASK { ?s ?p 7 }").status_code == 201, "room again"
