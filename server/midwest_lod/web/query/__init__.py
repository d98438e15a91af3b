"""SPARQL evaluation: the :class:`~midwest_lod.web.query.service.QueryService` interface, the
worker processes and the result writers (the lexer is :mod:`midwest_lod.sparql`).

Kept free of imports: a worker process imports ``midwest_lod.web.query.worker`` and should not
pay for Flask or rdflib.
"""
