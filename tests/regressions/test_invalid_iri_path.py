"""Regression: a path that is not a valid IRI answered 500.

``/id/%00`` (or a space, ``<``, a control character in the key) made an IRI pyoxigraph
refuses (``ValueError: Invalid IRI code point``) while looking the entity up: an unexpected
error, 500. A path that is not an IRI names nothing in the graph: 404.
"""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize("path", ["/id/%00", "/doc/%00", "/id/gemeente/a%00b",
                                  "/doc/gemeente/36015%20x.ttl", "/id/a%3Cb%3E",
                                  "/doc/x%7By%7D", "/id/%0A", "/doc/a%5Cb", "/id/a%22b"])
def test_a_path_that_is_no_iri_is_404(client: FlaskClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "text/plain"})
    assert response.status_code == 404
    assert "There is nothing at" in response.get_data(as_text=True) or \
        "The graph says nothing about" in response.get_data(as_text=True)
