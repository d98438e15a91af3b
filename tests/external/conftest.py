"""Fixtures of the external-store tests: a fresh ``oxigraph serve`` per test module, the real
data published into it by the build (``sparql_gsp_url``), and a changed copy of the data to
publish a second version with."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from midwest_lod.assets import asset_dir
from midwest_lod.config import Settings
from midwest_lod.pipeline import run_build
from tests.oxigraph_server import OxigraphServer

BASE = "https://data.midwest.be"
ACTOR = BASE + "/id/organisatie/mariasteen"
#: One answer of the store, read in one query (one snapshot): the version its metadata graph
#: names, how many quads it holds and the Dutch label of one actor, which the second version
#: changes.
SNAPSHOT = f"""SELECT ?version ?n ?label WHERE {{
  {{ SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} }}
  OPTIONAL {{ GRAPH <{BASE}/id/graaf/metadata> {{
    <{BASE}/id/dataset/sociale-economie> <http://www.w3.org/ns/dcat#version> ?version }} }}
  OPTIONAL {{ GRAPH ?lg {{ <{ACTOR}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }} }}
}}"""
Snapshot = tuple[str | None, int, str | None]


@dataclass
class Published:
    """An output folder with one version, built and published into ``store``."""

    settings: Settings
    store: OxigraphServer
    folder: Path

    @property
    def output_dir(self) -> Path:
        return Path(self.settings.output_dir)

    def snapshot(self) -> Snapshot:
        response = requests.post(self.store.query_url, data={"query": SNAPSHOT},
                                 headers={"Accept": "application/sparql-results+json"},
                                 timeout=30)
        response.raise_for_status()
        row = response.json()["results"]["bindings"][0]
        return (row["version"]["value"] if "version" in row else None,
                int(row["n"]["value"]), row["label"]["value"] if "label" in row else None)

    def dataset(self) -> bytes:
        """Everything the store holds, as N-Quads (Graph Store Protocol GET)."""
        response = requests.get(self.store.gsp_url, headers={"Accept": "application/n-quads"},
                                timeout=30)
        response.raise_for_status()
        return response.content

    def changed_data(self, name: str) -> Path:
        """A copy of data/ where the actor of :data:`ACTOR` is called ``name``."""
        target = self.folder / f"data-{abs(hash(name))}"
        if not target.exists():
            shutil.copytree(asset_dir("data"), target)
            actor = target / "actors" / "mariasteen.yaml"
            text = actor.read_text(encoding="utf-8")
            assert "\nname: Mariasteen\n" in text
            actor.write_text(text.replace("\nname: Mariasteen\n", f"\nname: {name}\n"),
                             encoding="utf-8")
        return target


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Published]:
    folder = tmp_path_factory.mktemp("external")
    store = OxigraphServer.start(folder / "oxigraph", folder / "oxigraph.log")
    try:
        settings = Settings.load({"output_dir": folder / "out", "sparql_gsp_url": store.gsp_url,
                                  "sparql_query_url": store.query_url, "query_timeout": 3})
        result = run_build(settings)
        assert result.ok, result.report(include_warnings=False)
        yield Published(settings, store, folder)
    finally:
        store.stop()
