"""Reconciliation for OpenRefine: the Reconciliation Service API 0.2 and the 1.0 draft.

``entities`` reads what the service knows of an organisation (``queries/reconcile-entity.rq``,
kept per published version); ``scoring`` compares a query with it and explains the score with
features; ``service`` finds candidates (the search index, an enterprise number), scores them,
suggests, and extends rows with data; ``wire`` reads and writes the two versions' JSON.
The routes are in ``web/blueprints/reconcile.py``: 0.2 at ``/reconcile``, 1.0-draft at
``/reconcile/v1/``. docs/decisions/0016-reconciliation.md.
"""
