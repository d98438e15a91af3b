"""``/dumps/``: the whole graph as files, with Content-Length, sha256 and Last-Modified.

The files are the build's (``versions/<version>/dumps/``), served as they are: the ``.gz``
ones as ``application/gzip`` (a download, not a transfer encoding: the sha256 is of the file).
``Repr-Digest`` (RFC 9530) and ``Digest`` (RFC 3230) carry the sha256; ``<file>.sha256`` is the
same in ``sha256sum`` format.
"""

from __future__ import annotations

import base64

from flask import Blueprint, Response, render_template, request, send_file

from midwest_lod.errors import NotFound
from midwest_lod.formats import GZIP, HTML, TEXT_MEDIA_TYPE
from midwest_lod.publication import Dump
from midwest_lod.web import http, i18n
from midwest_lod.web.context import ctx

bp = Blueprint("dumps", __name__, url_prefix="/dumps")


def media_type(dump: Dump) -> str:
    """The gzipped dumps are files of their own (dcat:compressFormat), not a transfer coding."""
    return GZIP.media_type if dump.encoding == "gzip" else dump.media_type


@bp.get("/")
def listing() -> Response:
    version = ctx().version()
    etag = f"{version.id}.dumps.{i18n.variant()}"
    if http.is_fresh(etag, version.last_modified):
        return http.not_modified(etag, version.last_modified, vary=i18n.vary())
    body = render_template("dumps.html", version=version, dumps=version.dumps(),
                           media_type=media_type)
    return http.set_validators(Response(body, mimetype=HTML.media_type), etag,
                               version.last_modified)


@bp.get("/<name>")
def dump_file(name: str) -> Response:
    version = ctx().version()
    checksum = name.endswith(".sha256")
    dump = version.dump(name[: -len(".sha256")] if checksum else name)
    if dump is None:
        raise NotFound(f"There is no dump {name!r}.",
                       details=["Dumps: " + ", ".join(d.file for d in version.dumps())])
    if checksum:
        etag = f"{version.id}.{name}"
        if http.is_fresh(etag, version.last_modified):
            return http.not_modified(etag, version.last_modified)
        response = Response(f"{dump.sha256}  {dump.file}\n", mimetype=TEXT_MEDIA_TYPE)
        return http.set_validators(response, etag, version.last_modified)
    response = send_file(dump.path, mimetype=media_type(dump), download_name=dump.file,
                         as_attachment=False, conditional=False, etag=False,
                         last_modified=version.last_modified, max_age=60)
    response.set_etag(f"{version.id}.{dump.file}")
    response.make_conditional(request, accept_ranges=True, complete_length=dump.bytes)
    digest = base64.b64encode(bytes.fromhex(dump.sha256)).decode("ascii")
    response.headers["Repr-Digest"] = f"sha-256=:{digest}:"
    response.headers["Digest"] = f"sha-256={digest}"
    response.headers["X-Checksum-Sha256"] = dump.sha256
    return response
