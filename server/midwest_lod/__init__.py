"""Midwest social economy Linked Open Data publisher.

The package has two halves that share settings, IRIs and formats:

* ``midwest_lod.pipeline``: reads ``data/``, maps it to RDF, validates it with SHACL and
  publishes a new version atomically (``midwest-lod build``);
* ``midwest_lod.web``: the Flask application that serves the published version
  (``midwest-lod serve``), built by :func:`create_app`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

try:
    __version__ = version("midwest-lod")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0+source"


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the web application (see :mod:`midwest_lod.web`)."""
    from midwest_lod.web import create_app as _create_app

    return _create_app(test_config)


__all__ = ["__version__", "create_app"]
