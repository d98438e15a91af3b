"""Search and suggestions over the labels and descriptions of a published version.

:mod:`midwest_lod.search.text` folds text for matching (case, accents, punctuation, legal-form
words); :mod:`midwest_lod.search.build` reads what is searched from a version's store
(``queries/search-*.rq``) and writes ``search.sqlite``; :mod:`midwest_lod.search.index` asks
that SQLite FTS5 database and ranks its hits. docs/decisions/0008-search.md.
"""
