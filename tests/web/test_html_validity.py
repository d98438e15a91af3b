"""Every page kind, in Dutch and in English, is valid HTML by the Nu Html Checker (vnu.jar, the
W3C's checker, from the npm registry: ``npm ci --prefix tools/html-checker``; it needs a Java
runtime, Debian's ``default-jre-headless``). Without them the test is skipped with a hint;
when ``CI`` is set (``.ci/run``) that is a failure."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.web.test_i18n import PAGES

VNU = Path(os.environ.get("VNU_JAR", Path(__file__).parents[2]
                          / "tools/html-checker/node_modules/vnu-jar/build/dist/vnu.jar"))
INSTALL = "apt-get install -y default-jre-headless; npm ci --prefix tools/html-checker"


def _java() -> str:
    java = shutil.which("java")
    missing = [what for what, there in (("java", java), (str(VNU), VNU.is_file())) if not there]
    if missing:
        message = f"the HTML check needs {', '.join(missing)} ({INSTALL})"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI is set, so this is a failure, not a skip", pytrace=False)
        pytest.skip(message)
    return str(java)


def test_every_page_is_valid_html_in_both_languages(client: FlaskClient, tmp_path: Path
                                                    ) -> None:
    java = _java()
    files: dict[str, str] = {}
    for number, path in enumerate(PAGES):
        for lang in ("nl", "en"):
            url = f"{path}{'&' if '?' in path else '?'}lang={lang}"
            response = client.get(url, headers={"Accept": "text/html"})
            assert response.mimetype == "text/html", url
            file = tmp_path / f"page-{number}-{lang}.html"
            file.write_bytes(response.get_data())
            files[file.name] = url
    # one run for all pages (the checker's start-up costs more than checking a page)
    run = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--errors-only",
                          "--exit-zero-always", *sorted(p for p in map(str, tmp_path.iterdir()))],
                         capture_output=True, text=True, timeout=300, check=True)
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [f"{files.get(str(m.get('url', '')).rsplit('/', 1)[-1], m.get('url'))}:"
              f"{m.get('lastLine')}: {m['message']}"
              for m in messages if m.get("type") in ("error", "non-document-error")]
    assert errors == []
    assert len(files) == 2 * len(PAGES)
