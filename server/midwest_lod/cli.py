"""The ``midwest-lod`` command: build, validate, serve and link the Midwest LOD publication."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from midwest_lod import __version__
from midwest_lod.config import Settings, describe_settings
from midwest_lod.errors import PublisherError


def _settings(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="midwest-lod")
@click.option("--data-dir", type=click.Path(path_type=Path), help="Folder of the source files.")
@click.option("--output-dir", type=click.Path(path_type=Path), help="Folder of published versions.")
@click.option("--base-iri", help="Base of every minted IRI.")
@click.pass_context
def cli(ctx: click.Context, /, **overrides: Any) -> None:
    """Publish the Midwest social economy as Linked Open Data.

    Settings come from MIDWEST_LOD_* environment variables (see `midwest-lod settings`);
    the options above override them.
    """
    try:
        ctx.obj = Settings.load(overrides)
    except PublisherError as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command()
def settings() -> None:
    """List every setting with its environment variable, default and meaning."""
    for env, default, help_text in describe_settings():
        click.echo(f"{env}\n    default: {default}\n    {help_text}")


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script."""
    try:
        cli.main(args=argv, prog_name="midwest-lod", standalone_mode=True)
    except PublisherError as exc:  # pragma: no cover - commands convert their own errors
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


# The subcommands live in midwest_lod.commands, one module each.
from midwest_lod.commands import register  # noqa: E402

register(cli)
