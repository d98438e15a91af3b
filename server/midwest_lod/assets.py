"""Where the project's own files live: ``ontology/``, ``shapes/``, ``data/``.

Running from a source checkout (editable install, tests) they are the top-level folders of the
repository. A non-editable install (``pip install .``) carries copies inside the package under
``midwest_lod/assets/``; the source tree wins when both exist.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SOURCE_ROOT = PACKAGE_DIR.parent.parent
BUNDLED_ROOT = PACKAGE_DIR / "assets"


def asset_dir(name: str) -> Path:
    """Return the folder ``name`` (``ontology``, ``shapes`` or ``data``)."""
    in_source = SOURCE_ROOT / name
    if (SOURCE_ROOT / "pyproject.toml").is_file() and in_source.is_dir():
        return in_source
    return BUNDLED_ROOT / name


def query_dir() -> Path:
    """The folder of the SPARQL query files used by the application."""
    return PACKAGE_DIR / "queries"
