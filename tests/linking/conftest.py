"""Fixtures for the linking tests: a private copy of data/, file digests, and a local
stand-in for the Basisregisters Vlaanderen adresmatch API (127.0.0.1, a free port)."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from midwest_lod.assets import asset_dir
from midwest_lod.config import Settings
from midwest_lod.pipeline import BuildResult

FIXTURES = Path(__file__).parent / "fixtures"


def digest(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root`` (relative path → hex)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def violations(result: BuildResult) -> list[tuple[str, str | None, str]]:
    """The violations of a validation run, comparable between runs."""
    return sorted((v.path, v.field, v.rule) for v in result.violations)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A private copy of the real data/ (never the real folder)."""
    target = tmp_path / "data"
    shutil.copytree(asset_dir("data"), target,
                    ignore=shutil.ignore_patterns("review", "links"))
    return target


# --- the adresmatch stand-in -----------------------------------------------------------------

@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list → JSON; str/bytes as is; None → a match built from the query
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def address_match(query: dict[str, str], *, object_id: str | None = None, score: float = 100,
                  box: str = "", status: str = "inGebruik") -> dict[str, Any]:
    """One entry of ``adresMatches`` in the documented shape (standards.md §2.3)."""
    street, number = query.get("straatnaam", ""), query.get("huisnummer", "")
    postcode, municipality = query.get("postcode", "8800"), query.get("gemeentenaam", "")
    object_id = object_id or str(int(hashlib.sha256(f"{street}{number}{box}".encode())
                                     .hexdigest()[:6], 16))
    base = "https://api.basisregisters.vlaanderen.be/v2"
    full = f"{street} {number}{' bus ' + box if box else ''}, {postcode} {municipality}"
    entry: dict[str, Any] = {
        "@type": "Adres",
        "identificator": {"id": f"https://data.vlaanderen.be/id/adres/{object_id}",
                          "naamruimte": "https://data.vlaanderen.be/id/adres",
                          "objectId": object_id, "versieId": "2024-03-01T10:11:12+01:00"},
        "detail": f"{base}/adressen/{object_id}",
        "gemeente": {"objectId": query.get("niscode", "36015"),
                     "detail": f"{base}/gemeenten/{query.get('niscode', '36015')}",
                     "gemeentenaam": {"geografischeNaam": {"spelling": municipality,
                                                           "taal": "nl"}}},
        "postinfo": {"objectId": postcode, "detail": f"{base}/postinfo/{postcode}"},
        "straatnaam": {"objectId": "31402", "detail": f"{base}/straatnamen/31402",
                       "straatnaam": {"geografischeNaam": {"spelling": street, "taal": "nl"}}},
        "huisnummer": number,
        "volledigAdres": {"geografischeNaam": {"spelling": full, "taal": "nl"}},
        "adresPositie": {"geometrie": {"type": "Point", "gml": "<gml:Point/>"},
                         "positieGeometrieMethode": "afgeleidVanObject",
                         "positieSpecificatie": "gebouweenheid"},
        "adresStatus": status, "officieelToegekend": True, "score": score,
        "links": [{"href": f"{base}/percelen?adresobjectid={object_id}", "rel": "percelen",
                   "type": "GET"}],
    }
    if box:
        entry["busnummer"] = box
    return entry


def one_match(query: dict[str, str]) -> Reply:
    """The stand-in's default answer: exactly the address asked for, score 100."""
    return Reply(body={"adresMatches": [address_match(query)]})


class StandIn:
    """Answers GET /v2/adresmatch: first the queued replies, then ``default(query)``."""

    def __init__(self) -> None:
        self.queue: list[Reply] = []
        self.default: Callable[[dict[str, str]], Reply] = one_match
        self.requests: list[dict[str, Any]] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v2/"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                with standin.lock:
                    standin.requests.append({"path": parts.path, "query": query,
                                             "headers": dict(self.headers)})
                    reply = standin.queue.pop(0) if standin.queue else standin.default(query)
                if reply.delay and standin.stop.wait(reply.delay):
                    return
                if parts.path != "/v2/adresmatch":
                    reply = Reply(404, {"title": "Not Found"})
                body = reply.body
                if isinstance(body, dict | list):
                    body = json.dumps(body)
                data = body.encode() if isinstance(body, str) else (body or b"")
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.headers.pop(
                        "Content-Type", "application/json"))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (timeout tests)
                    pass

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        return Handler

    def __enter__(self) -> StandIn:
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def standin() -> Iterator[StandIn]:
    with StandIn() as server:
        yield server


@pytest.fixture
def settings_for(data_dir: Path, tmp_path: Path) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {"data_dir": data_dir, "output_dir": tmp_path / "out",
                                  "http_timeout": 2.0, "http_retries": 2,
                                  "http_min_interval": 0.01}
        values.update(overrides)
        return Settings.load(values, environ={})
    return make
