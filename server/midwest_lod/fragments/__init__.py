"""Triple Pattern Fragments (the Linked Data Fragments specification) of a published version.

:mod:`.pattern` reads a fragment's selector from the request parameters of the ``hydra:search``
template (``subject``, ``predicate``, ``object``) and writes it back; :mod:`.reading` reads a
page of matching triples and their count from the version's store (embedded or external);
:mod:`.controls` writes the fragment's metadata and hypermedia controls. The HTTP side is
``web/blueprints/fragments.py``; docs/decisions/0017-fragments.md.
"""
