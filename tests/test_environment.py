"""The tests run with no ``MIDWEST_LOD_*`` variable of the shell that started them
(tests/conftest.py): a setting a test depends on is one it gives."""

from __future__ import annotations

import os

from midwest_lod.config import ENV_PREFIX, Settings


def test_no_setting_comes_from_outside() -> None:
    assert [name for name in os.environ if name.startswith(ENV_PREFIX)] == []
    assert Settings.load() == Settings()

