"""SPARQL evaluation: the :class:`~midwest_lod.web.query.service.QueryService` interface, the
worker processes, the lexer and the result writers.

Kept free of imports: a worker process imports ``midwest_lod.web.query.worker`` and should not
pay for Flask or rdflib.
"""
