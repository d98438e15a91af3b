"""Search and suggestions over the labels and descriptions of a published version.

:mod:`midwest_lod.search.text` folds text for matching (case, accents, punctuation, legal-form
words); :mod:`midwest_lod.search.index` holds the index of one published version (SQLite FTS5
in memory, built from ``queries/search-*.rq``) and ranks its hits. docs/decisions/0008-search.md.
"""
