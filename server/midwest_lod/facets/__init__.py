"""Browsing the organisations by facets (``/organisaties``): municipality (today and before
the 2025 mergers), arrondissement, kind of initiative, theme, legal form, and whether a
statement is stated or inferred.

* :mod:`.dimensions` declares the facets (name, labels, the query file of each);
* :mod:`.reading` reads a version's facet values from its store with ``queries/facets/`` and
  writes the SPARQL query a page offers ("toon als SPARQL") from the same files;
* :mod:`.index` counts: one bit set per value, so a page is a handful of ANDs and popcounts
  whatever the number of organisations.

docs/decisions/0010-facets.md.
"""
