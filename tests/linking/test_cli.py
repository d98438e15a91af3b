"""The `midwest-lod link` commands: output, exit status, data/ untouched on errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from click.testing import CliRunner

from midwest_lod.cli import cli
from tests.linking.conftest import FIXTURES, Reply, StandIn, digest, one_match

KBO = str(FIXTURES / "kbo")


def invoke(data_dir: Path, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    environment = {"MIDWEST_LOD_HTTP_RETRIES": "1", "MIDWEST_LOD_HTTP_MIN_INTERVAL": "0.01",
                   **(env or {})}
    return CliRunner().invoke(cli, ["--data-dir", str(data_dir), "link", *args],
                              env=environment)


def test_kbo_then_confirm(data_dir: Path) -> None:
    before = digest(data_dir)
    result = invoke(data_dir, "kbo", KBO)
    assert result.exit_code == 0, result.output
    review = data_dir / "review" / "kbo-candidates-2026-06-05.csv"
    assert review.is_file()
    assert "pas-par-toe: 2 candidate(s), best 0899.123.484" in result.output
    assert "Nothing was accepted" in result.output
    after = digest(data_dir)
    assert {k: v for k, v in after.items() if not k.startswith("review/")} == before

    again = invoke(data_dir, "kbo", KBO)
    assert again.exit_code == 1 and "exists" in again.output
    assert digest(data_dir) == after

    nothing = invoke(data_dir, "kbo-confirm", str(review))
    assert nothing.exit_code == 0 and "No row is confirmed" in nothing.output
    assert digest(data_dir) == after

    rows = list(csv.DictReader(io.StringIO(review.read_text(encoding="utf-8"))))
    for row in rows:
        row["confirm"] = "x" if row["enterprise_number"] == "0899.123.484" else ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    review.write_text(out.getvalue(), encoding="utf-8")
    confirmed = invoke(data_dir, "kbo-confirm", str(review))
    assert confirmed.exit_code == 0, confirmed.output
    assert "actors/pas-par-toe.yaml: added enterprise_number 0899.123.484" in confirmed.output
    changed = {k for k, v in digest(data_dir).items() if after.get(k) != v}
    assert changed == {"review/kbo-candidates-2026-06-05.csv", "actors/pas-par-toe.yaml"}


def test_kbo_errors_leave_data_unchanged(data_dir: Path, tmp_path: Path) -> None:
    before = digest(data_dir)
    for args in (("kbo", str(tmp_path / "missing.zip")), ("kbo-confirm", str(tmp_path / "x"))):
        result = invoke(data_dir, *args)
        assert result.exit_code == 1
        assert "Error:" in result.output and "no such file" in result.output
    assert digest(data_dir) == before


def test_addresses_error_and_dry_run(data_dir: Path, standin: StandIn) -> None:
    env = {"MIDWEST_LOD_ADDRESS_API_URL": standin.url}
    before = digest(data_dir)
    dry = invoke(data_dir, "addresses", "--dry-run", env=env)
    assert dry.exit_code == 0, dry.output
    assert "pas-par-toe/kalkenstraat (Kalkenstraat 14, 8800 Roeselare): linked" in dry.output
    assert "skipped: no house number" in dry.output
    assert digest(data_dir) == before

    standin.default = lambda q: Reply(503, "busy", {"Content-Type": "text/plain"})
    failed = invoke(data_dir, "addresses", env=env)
    assert failed.exit_code == 1
    assert "HTTP 503" in failed.output and standin.url + "adresmatch?" in failed.output
    assert digest(data_dir) == before

    standin.default = one_match
    ok = invoke(data_dir, "addresses", "--actor", "pas-par-toe", env=env)
    assert ok.exit_code == 0, ok.output
    assert "1 of 1 site address(es) linked" in ok.output
    assert (data_dir / "links" / "addresses.csv").is_file()
