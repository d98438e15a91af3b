"""``midwest-lod build``, ``validate`` and ``completeness``: the steward's commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from midwest_lod.config import Settings
from midwest_lod.errors import PublicationError, PublisherError
from midwest_lod.publication import current_version


def _progress(quiet: bool) -> object:
    def echo(message: str) -> None:
        if not quiet:
            click.echo(f"  {message}", err=True)

    return echo


@click.command()
@click.option("--quiet", "-q", is_flag=True, help="Print only the result, not each stage.")
@click.option("--warnings/--no-warnings", default=False, show_default=True,
              help="Also list SHACL warnings (missing recommended facts).")
@click.pass_obj
def build(settings: Settings, quiet: bool, warnings: bool) -> None:
    """Check data/ and publish a new version, only if there is no violation.

    Exits with status 1, leaving the published version untouched, when a file cannot be
    read or the graph violates a shape.
    """
    from midwest_lod.pipeline import run_build

    try:
        result = run_build(settings, progress=_progress(quiet))  # type: ignore[arg-type]
    except PublisherError as exc:
        raise click.ClickException(str(exc)) from exc
    if not result.ok:
        click.echo(result.report(include_warnings=warnings), nl=False)
        click.echo("Build failed: nothing was published.", err=True)
        sys.exit(1)
    assert result.version is not None
    counts = result.version.manifest["counts"]
    click.echo(f"Published version {result.version.id}: {counts['triples']} triples, "
               f"{len(result.warnings)} warnings (see `midwest-lod completeness`).")
    click.echo("Stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in result.stages.items()))


@click.command()
@click.option("--shacl-report", type=click.Path(path_type=Path),
              help="Also write the SHACL validation report as Turtle to this file ('-' = stdout).")
@click.option("--warnings/--no-warnings", default=True, show_default=True,
              help="Also list SHACL warnings (missing recommended facts).")
@click.pass_obj
def validate(settings: Settings, shacl_report: Path | None, warnings: bool) -> None:
    """Check data/ without publishing; list every problem by file, line and field."""
    from midwest_lod.pipeline import run_validate

    try:
        result = run_validate(settings)
    except PublisherError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(result.report(include_warnings=warnings), nl=False)
    if shacl_report is not None:
        text = result.outcome.as_report().serialize(format="turtle")
        if str(shacl_report) == "-":
            click.echo(text)
        else:
            shacl_report.write_text(text, encoding="utf-8")
    if not result.ok:
        click.echo("Invalid: `midwest-lod build` would publish nothing.", err=True)
        sys.exit(1)
    click.echo("Valid: `midwest-lod build` would publish this data.", err=True)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def completeness(settings: Settings, as_json: bool) -> None:
    """Per actor, the recommended facts the published data does not have yet."""
    from midwest_lod.pipeline.completeness import format_completeness

    try:
        version = current_version(settings.output_dir)
    except PublicationError as exc:
        raise click.ClickException(str(exc)) from exc
    rows = json.loads((version.path / "completeness.json").read_text(encoding="utf-8"))
    click.echo(json.dumps(rows, indent=2, ensure_ascii=False) if as_json
               else format_completeness(rows), nl=False)


COMMANDS = [build, validate, completeness]
