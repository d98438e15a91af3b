"""The search index of the version being served.

:func:`index_for` opens the ``search.sqlite`` the build wrote in the version's folder
(read-only), or, for a version without one (an external store whose files are elsewhere, a
version published before search existed), builds it in memory from the store with the same
queries. Either way it is kept in the version's cache: a new publication is a new
:class:`~midwest_lod.publication.Version` with its own index, and requests already running
finish with the one they started with. docs/decisions/0008-search.md.
"""

from __future__ import annotations

import logging
import sqlite3

from midwest_lod.iris import Iris
from midwest_lod.publication import Version
from midwest_lod.search import build
from midwest_lod.search.index import FILE_NAME, SearchIndex

log = logging.getLogger(__name__)

CACHE_KEY = "search_index"


def _open(version: Version, iris: Iris) -> SearchIndex:
    path = version.path / FILE_NAME
    if path.is_file():
        try:
            index = SearchIndex.open(path)
        except sqlite3.Error as exc:
            log.error("the search index %s cannot be read (%s); building one in memory", path,
                      exc)
        else:
            if index.version == version.id:
                return index
            log.error("the search index %s is of version %r, not %r; building one in memory",
                      path, index.version, version.id)
            index.close()
    return build.build(version.store, iris, version.id)


def index_for(version: Version, iris: Iris) -> SearchIndex:
    """The index of ``version``, opened (or built) by the first request that needs it."""
    return version.derived(CACHE_KEY, lambda: _open(version, iris))
