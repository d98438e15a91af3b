"""``midwest-lod prune-links``: remove the query editor's short links nobody used for a time."""

from __future__ import annotations

from pathlib import Path

import click

from midwest_lod.config import Settings
from midwest_lod.web.links import FOLDER, StoredQueries, prune


@click.command("prune-links")
@click.option("--unused-days", type=click.IntRange(min=1), required=True,
              help="Remove the links not opened or made for this many days.")
@click.pass_obj
def prune_links(settings: Settings, unused_days: int) -> None:
    """Remove stored queries (/sparql/q/<id>, <output_dir>/links) unused for a time.

    Opening or making a link marks it used. Links are permalinks: run this only under a
    retention you announce (docs/operations.md); the server stores at most
    stored_queries_max of them whether or not you prune.
    """
    folder = Path(settings.output_dir) / FOLDER
    removed = prune(folder, unused_days * 86400.0)
    left = StoredQueries(folder, settings.stored_queries_max).count()
    click.echo(f"removed {len(removed)} stored queries unused for {unused_days} days from "
               f"{folder}; {left} left (at most {settings.stored_queries_max})")


COMMANDS = [prune_links]
