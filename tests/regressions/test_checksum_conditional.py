"""Regression: ``/dumps/<file>.sha256`` sent an ETag but ignored If-None-Match.

Every other versioned answer (documents, pages, queries, the dumps themselves) answers a
conditional request with 304; the checksum files always sent the whole body again.
"""

from __future__ import annotations

from flask.testing import FlaskClient


def test_checksum_file_answers_304(client: FlaskClient) -> None:
    path = "/dumps/midwest-sociale-economie.ttl.sha256"
    first = client.get(path)
    assert first.status_code == 200
    again = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.headers["ETag"] == first.headers["ETag"]
    since = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
