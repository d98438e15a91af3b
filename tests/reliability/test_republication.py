"""A republication while serving switches atomically, with no failed request.

A real ``midwest-lod serve --workers 2`` serves a copy of the real publication while client
threads hammer it; meanwhile ``run_build`` publishes a second version into the same output
folder. Every answer must be 200, and each one must be of one version: the version in its
validators (ETag) is the version its body states (the dataset's ``dcat:version``, in an entity
document and in SPARQL results; ``version`` in /health). Every answer is of the old or the new
version, and every request started after the switch is answered from the new one.
"""

from __future__ import annotations

import itertools
import re
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from midwest_lod.config import Settings
from tests.reliability import servers
from tests.waiting import wait_until

pytestmark = [pytest.mark.server, pytest.mark.slow]

DATASET = "https://data.midwest.be/id/dataset/sociale-economie"
VERSION_QUERY = f"SELECT ?v WHERE {{ <{DATASET}> <http://www.w3.org/ns/dcat#version> ?v }}"
_DOC_VERSION = re.compile(r'dcat:version "([^"]+)"')
_ETAG_VERSION = re.compile(r'^W/"([^".]+)\.')


@dataclass(frozen=True)
class Answer:
    what: str
    started: int  # when the request started: a ticket of the run's sequence of events
    status: int
    etag_version: str | None  # None: the answer has no validators (POST)
    body_version: str | None


def _document(session: requests.Session, url: str) -> tuple[requests.Response, str | None]:
    response = session.get(url + "/doc/dataset/sociale-economie.ttl", timeout=30)
    match = _DOC_VERSION.search(response.text)
    return response, match.group(1) if match else None


def _sparql_get(session: requests.Session, url: str) -> tuple[requests.Response, str | None]:
    response = session.get(url + "/sparql", params={"query": VERSION_QUERY}, timeout=30,
                           headers={"Accept": "application/sparql-results+json"})
    return response, _binding(response)


def _sparql_post(session: requests.Session, url: str) -> tuple[requests.Response, str | None]:
    response = session.post(url + "/sparql", data={"query": VERSION_QUERY}, timeout=30,
                            headers={"Accept": "application/sparql-results+json"})
    return response, _binding(response)


def _health(session: requests.Session, url: str) -> tuple[requests.Response, str | None]:
    response = session.get(url + "/health", timeout=30)
    return response, str(response.json().get("version")) if response.ok else None


def _binding(response: requests.Response) -> str | None:
    if not response.ok:
        return None
    bindings = response.json()["results"]["bindings"]
    return str(bindings[0]["v"]["value"]) if bindings else None


CLIENTS: dict[str, Callable[[requests.Session, str], tuple[requests.Response, str | None]]] = {
    "document": _document, "sparql GET": _sparql_get, "sparql POST": _sparql_post,
    "health": _health,
}


def test_republication_while_serving(real_publication: Path, tmp_path: Path) -> None:
    from midwest_lod.pipeline import run_build

    out = tmp_path / "out"
    shutil.copytree(real_publication, out, symlinks=True)
    old = (out / "current").resolve().name
    server = servers.start(out, tmp_path / "server.log", workers=2, threads=8)
    answers: list[Answer] = []
    failures: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    tickets = itertools.count()  # orders the requests' starts and the switch (next() is atomic)

    def client(what: str) -> None:
        fetch = CLIENTS[what]
        with requests.Session() as session:
            while not stop.is_set():
                started = next(tickets)
                try:
                    response, body_version = fetch(session, server.url)
                except requests.RequestException as exc:
                    with lock:
                        failures.append(f"{what}: {type(exc).__name__}: {exc}")
                    continue
                match = _ETAG_VERSION.match(response.headers.get("ETag", ""))
                with lock:
                    answers.append(Answer(what, started, response.status_code,
                                          match.group(1) if match else None, body_version))

    threads = [threading.Thread(target=client, args=(what,)) for what in CLIENTS]
    try:
        for thread in threads:
            thread.start()
        wait_until(lambda: len(answers) >= 50, 30, "answers before the build")
        result = run_build(Settings.load({"output_dir": out}))
        switched = next(tickets)  # run_build returns after `current` was switched
        assert result.ok, result.report(include_warnings=False)
        new = (out / "current").resolve().name
        assert new != old
        count = len(answers)
        wait_until(lambda: len(answers) >= count + 100, 60, "answers after the build")
    finally:
        stop.set()
        for thread in threads:
            thread.join(60)
        server.stop()

    assert not failures, failures[:10]
    assert all(a.status == 200 for a in answers), [a for a in answers if a.status != 200][:10]
    for answer in answers:
        assert answer.body_version in (old, new), answer
        if answer.etag_version is not None:  # validators and body from the same version
            assert answer.etag_version == answer.body_version, answer
    after = [a for a in answers if a.started > switched]
    assert len(after) >= 100
    assert all(a.body_version == new for a in after), [a for a in after
                                                       if a.body_version != new][:10]
    before = [a for a in answers if a.body_version == old]
    assert {a.what for a in before} == set(CLIENTS)  # every kind was served from both
    assert {a.what for a in after} == set(CLIENTS)
    assert {a.what for a in answers if a.etag_version} == {"document", "sparql GET"}
