"""Regression: a SPARQL answer's ETag could name another version than the one that answered.

The endpoint read the current version for the ETag, then the query service read it again to
run the query: a republication between the two reads gave an answer from the new version with
the old version's ETag (which a cache would then keep as current). The validators now come
from the version the query service answered from.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from midwest_lod.web.query.service import Result

VERSION_QUERY = ("SELECT ?v WHERE { <https://data.midwest.be/id/dataset/sociale-economie> "
                 "<http://www.w3.org/ns/dcat#version> ?v }")


def test_the_etag_is_of_the_version_that_answered(real_publication: Path,
                                                  tmp_path: Path) -> None:
    from midwest_lod.config import Settings
    from midwest_lod.pipeline import run_build
    from midwest_lod.web import create_app

    out = tmp_path / "out"
    shutil.copytree(real_publication, out, symlinks=True)
    old = (out / "current").resolve().name
    old_link = os.readlink(out / "current")
    assert run_build(Settings.load({"output_dir": out})).ok
    new = (out / "current").resolve().name
    assert new != old
    link = out / ".current.tmp"
    os.symlink(old_link, link)
    os.replace(link, out / "current")  # serve the old one first

    app = create_app({"output_dir": out, "TESTING": True, "cache_max_bytes": 0})
    context = app.extensions["midwest_lod"]
    service = context.query_service
    run = service.run

    def republish_then_run(*args: Any, **kwargs: Any) -> Result:
        # the new version is published after the endpoint looked at `current`
        tmp = out / ".current.tmp"
        os.symlink(Path("versions") / new, tmp)
        os.replace(tmp, out / "current")
        return run(*args, **kwargs)

    service.run = republish_then_run
    try:
        response = app.test_client().get(
            "/sparql", query_string={"query": VERSION_QUERY},
            headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200
        answered = response.get_json()["results"]["bindings"][0]["v"]["value"]
        assert answered == new
        assert new in response.headers["ETag"]
    finally:
        service.run = run
        service.close()
