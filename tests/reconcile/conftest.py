"""The reconciliation tests run through a real server process over the real data, twice:
with the embedded store and with an external ``oxigraph serve`` (as tests/web does: the
entity query's IRI is then bound by ``VALUES … LATERAL`` instead of a substitution). The
``server`` fixture is tests/web's, not a copy of it."""

from tests.web.conftest import server

__all__ = ["server"]
