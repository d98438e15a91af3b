"""Without the oxigraph binary the external-store tests skip locally and fail in CI."""

from __future__ import annotations

import pytest

from tests import oxigraph_server
from tests.oxigraph_server import REQUIRE_ENV, require_oxigraph


def test_a_missing_binary_skips_locally_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(oxigraph_server, "oxigraph_binary", lambda: None)
    with pytest.raises(pytest.skip.Exception):
        require_oxigraph({})
    with pytest.raises(pytest.fail.Exception):
        require_oxigraph({"CI": "true"})
    with pytest.raises(pytest.fail.Exception):
        require_oxigraph({REQUIRE_ENV: "required"})
