"""Mapping the records of ``data/`` to RDF statements, as data: one table per kind of record.

Where things are:

- ``tables.py``: the tables, one per kind of record (organisations and their sites, addresses,
  services, figures; the CSV files of places; schemes and concepts, legislation, documents,
  the three sections of the region file).
- ``rows.py``: what a table is made of (:class:`~.rows.Kind`, :class:`~.rows.Field`,
  :class:`~.rows.Link`, :class:`~.rows.Nested`, :class:`~.rows.Rule`).
- ``datatypes.py``: the value types (``TEXT_NL``, ``DATE``, ``Concept("Thema")``, ...).
- ``writer.py``: the one writer that states a record from its table.
- ``rules.py``, ``addresses.py``: the special cases a table row names.
- ``mapper.py``: which file is read with which table, in which order; ``build.py``: the
  build activity in the provenance graph.

How to read a table: a :class:`~.rows.Kind` names the record (``"site"``), how its IRI is
made (``Iri("vestiging", under_parent=True)``: ``/id/vestiging/{actor}-{site}``), its classes
and its rows, stated in order. A row such as ::

    Field("legal_name", REGORG.legalName, TEXT_NL, sources=OWN),

says: the YAML key (or CSV column) ``legal_name`` gives ``regorg:legalName`` of the record's
subject, as a text in Dutch unless the value names its languages (``{nl: ..., en: ...}``),
optional, one value, written ``{value, sources, basis, reason}`` with sources of its own.
``required=True`` makes it required, ``many=True`` a list; the default takes the
record's sources, ``sources=OWN_OR_RECORD`` either. The keys a YAML record may have are
the keys of its rows (plus ``sources``, ``basis``, ``reason``, ``note``): a key no row reads
is reported as unknown.

Adding a field is one line in its table, e.g. a Dutch note on sites::

    Field("note_nl", SKOS.note, TEXT_NL),

- a text in another language: ``TEXT_EN`` or ``Text("fr")`` (the language of a plain string;
  a mapping of languages is always accepted);
- a value that holds for a period: ``during=Period("valid_from", "valid_through")``: the two
  keys of the sourced value (CSV: the two columns of the row) give its first and last day;
  its statements go to an assertion graph of their own that carries the period
  (``schema:validFrom``/``schema:validThrough``, see docs/model.md §4);
- a date the value holds on ("stand op", a figure's ``date``): a ``DATE`` field;
- a relation with a node of its own (a membership, an identifier): a nested :class:`Kind`,
  or a :class:`~.rows.Rule` for a computed case.

Then add the field to data/README.md, the term to docs/model.md and ontology/, and a shape.
"""

from midwest_lod.pipeline.mapping.build import build_activity_iri, build_activity_quads
from midwest_lod.pipeline.mapping.mapper import Mapper

__all__ = ["Mapper", "build_activity_iri", "build_activity_quads"]
