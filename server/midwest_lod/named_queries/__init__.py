"""Named queries: the catalogue of ``.rq`` files (:mod:`.catalogue`), their parameters checked
and turned into terms (:mod:`.parameters`) and the OpenAPI document of the API that serves
them (:mod:`.openapi`). The web API is ``midwest_lod.web.blueprints.api``."""
