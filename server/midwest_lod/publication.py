"""Published versions: writing one atomically, finding and checking the current one.

Layout (docs/publication.md)::

    <output_dir>/current -> versions/<version>
    <output_dir>/versions/<version>/{build.json, store/, canonical.nq, canonical.nt, dumps/, ...}
    <output_dir>/staging/<version>/        a version being written

A version is written completely in ``staging/``, moved into ``versions/`` with one rename, and
then made current by renaming a new symbolic link over ``current`` (atomic on POSIX). Nothing
in a published version is modified afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from pyoxigraph import BlankNode, Literal, NamedNode, Triple, Variable

from midwest_lod.errors import PublicationError
from midwest_lod.files import fsync_dir, fsync_tree

MANIFEST = "build.json"
CURRENT = "current"
VERSIONS = "versions"
STAGING = "staging"
HISTORY = "history"
DUMP_STEM = "midwest-sociale-economie"
REQUIRED = (MANIFEST, "store", "canonical.nq", "dumps")


class QueryStore(Protocol):
    """What reads a published version's data: its pyoxigraph ``Store`` or, with the setting
    ``sparql_query_url``, the external SPARQL server it was published into
    (:class:`midwest_lod.external.client.RemoteStore`, the same signature)."""

    def query(self, query: str, /, *, base_iri: str | None = None,
              prefixes: dict[str, str] | None = None, use_default_graph_as_union: bool = False,
              substitutions: dict[Variable, NamedNode | BlankNode | Literal | Triple] | None = None,
              ) -> Any: ...


@dataclass(frozen=True)
class Version:
    """One published version: its folder and its manifest."""

    path: Path
    manifest: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.manifest["version"])

    @property
    def store_path(self) -> Path:
        return self.path / "store"

    @property
    def dumps_path(self) -> Path:
        return self.path / "dumps"

    @property
    def built_at(self) -> str:
        return str(self.manifest["built_at"])


def current_link(output_dir: Path) -> Path:
    return output_dir / CURRENT


def current_target(output_dir: Path) -> str | None:
    """Where ``current`` points (cheap: one readlink), or None when nothing is published."""
    try:
        return os.readlink(current_link(output_dir))
    except (FileNotFoundError, OSError):
        return None


#: What every broken-publication message ends with: what to run.
REPUBLISH = "run `midwest-lod build` to publish a new version"


def open_version(path: Path) -> Version:
    """Read and check a version folder; a broken one is a :class:`PublicationError`."""
    if not path.is_dir():
        raise PublicationError(
            f"the published version {path} does not exist (deleted?); {REPUBLISH}")
    missing = [name for name in REQUIRED if not (path / name).exists()]
    if missing:
        raise PublicationError(
            f"the published version {path} is incomplete (missing {', '.join(missing)}); "
            f"{REPUBLISH}"
        )
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PublicationError(
            f"the manifest {path / MANIFEST} cannot be read ({exc}); {REPUBLISH}") from exc
    if not isinstance(manifest, dict) or "version" not in manifest:
        raise PublicationError(f"the manifest {path / MANIFEST} has no version; {REPUBLISH}")
    return Version(path, manifest)


def current_version(output_dir: Path) -> Version:
    """The published version ``current`` points to."""
    target = current_target(output_dir)
    if target is None:
        raise PublicationError(
            f"nothing is published in {output_dir}: run `midwest-lod build` first"
        )
    return open_version((output_dir / target).resolve())


def has_published(output_dir: Path) -> bool:
    return current_target(output_dir) is not None


def staging_dir(output_dir: Path) -> Path:
    """A new, empty folder to write a version in."""
    (output_dir / STAGING).mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix="build-", dir=output_dir / STAGING))


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    (path / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                 encoding="utf-8")


def promote(output_dir: Path, staged: Path,
            before_switch: Callable[[Version], None] | None = None) -> Version:
    """Move a complete staged version into ``versions/`` and make it current, atomically.

    The folder is renamed to the manifest's version id. ``before_switch`` runs once the
    folder is in ``versions/`` and before ``current`` switches (the load into an external
    SPARQL store, midwest_lod.external.publish); when it raises, the folder goes back to
    ``staged`` and nothing is published.
    """
    version = open_version(staged)
    versions = output_dir / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    final = versions / version.id
    if final.exists():
        raise PublicationError(f"version {version.id} is already published")
    fsync_tree(staged)
    os.replace(staged, final)
    if before_switch is not None:
        try:
            before_switch(Version(final, version.manifest))
        except BaseException:
            os.replace(final, staged)
            raise
    link = current_link(output_dir)
    temporary = output_dir / f".{CURRENT}.{os.getpid()}"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(Path(VERSIONS) / version.id, temporary)
    os.replace(temporary, link)
    fsync_dir(output_dir)
    return Version(final, version.manifest)


def prune(output_dir: Path, keep: int = 5) -> list[Path]:
    """Remove all but the newest ``keep`` versions (never the current one)."""
    versions = output_dir / VERSIONS
    if not versions.is_dir():
        return []
    current = current_target(output_dir)
    current_name = Path(current).name if current else None
    candidates = sorted((p for p in versions.iterdir() if p.is_dir()), key=lambda p: p.name)
    removed = []
    for path in candidates[:-keep] if keep else candidates:
        if path.name != current_name:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
