"""Regression: a request path that cannot be part of an IRI (a space, ``<``, a control
character) answered 404 but made rdflib log a warning on every request (log flooding)."""

from __future__ import annotations

import logging

import pytest

from midwest_lod.iris import Iris


@pytest.mark.parametrize("path", ["/id/a b", "/doc/x<y", "/id/a\x00b", '/id/"q"', "/id/a{b}"])
def test_iri_for_path_refuses_without_logging(path: str,
                                              caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG), pytest.raises(ValueError):
        Iris("https://data.midwest.be").iri_for_path(path)
    assert caplog.records == []


def test_iri_for_path_keeps_valid_paths() -> None:
    iris = Iris("https://data.midwest.be")
    assert str(iris.iri_for_path("/doc/organisatie/mariasteen")) == \
        "https://data.midwest.be/id/organisatie/mariasteen"
    assert str(iris.iri_for_path("/id/x%20y")) == "https://data.midwest.be/id/x%20y"
