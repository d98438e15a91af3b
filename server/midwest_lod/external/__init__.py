"""The store as an external SPARQL 1.1 server (docs/decisions/0006-external-store.md).

With the setting ``sparql_query_url`` the web application reads everything from that server
instead of the published pyoxigraph store: entity documents, index pages, the catalogue, the
published version itself (:mod:`midwest_lod.web.external`) and the SPARQL endpoint
(:mod:`midwest_lod.web.query.remote`). With ``sparql_gsp_url`` the build replaces the server's
dataset with the new version in one Graph Store Protocol request (:mod:`.publish`).

* parameters of the ``.rq`` files are bound with a ``VALUES`` block, never pasted
  (:func:`midwest_lod.sparql.bind_values`);
* :mod:`.client`: the HTTP client, with a ``query`` method shaped like pyoxigraph's
  ``Store.query`` so that the code that reads a store reads either.
"""
