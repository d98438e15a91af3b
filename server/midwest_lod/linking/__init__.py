"""Linking the curated data to outside registries (issue #4).

* :mod:`.kbo`, :mod:`.candidates`, :mod:`.review`: read a KBO Open Data extract, propose
  candidate enterprise numbers per actor in a review file, and write only the numbers the
  steward confirmed into the actors' YAML (:mod:`.yamledit`, comments preserved).
* :mod:`.addresses`: match actor site addresses with the Basisregisters Vlaanderen adresmatch
  API (:mod:`.http`: timeouts, retries, politeness) into the offline cache
  ``data/links/addresses.csv`` that the build reads.

Nothing here accepts a match on its own, and a failing step leaves ``data/`` unchanged
(:mod:`.files`: whole-file atomic writes).
"""
