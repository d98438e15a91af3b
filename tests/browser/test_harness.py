"""The browser tests' own rule: without Chromium they skip on a developer's machine and fail
in CI (``CI`` set), as the other tests needing outside tools do."""

from __future__ import annotations

import pytest

from tests.browser import conftest, harness


@pytest.mark.parametrize(("ci", "outcome"), [("1", pytest.fail.Exception),
                                             ("", pytest.skip.Exception)])
def test_missing_chromium_fails_in_ci_and_skips_elsewhere(
        monkeypatch: pytest.MonkeyPatch, ci: str, outcome: type[BaseException]) -> None:
    monkeypatch.setattr(harness, "CHROMIUM", "/nergens/chromium")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="/nergens/chromium"):
        conftest.require_tools()
