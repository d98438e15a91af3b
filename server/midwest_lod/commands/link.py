"""``midwest-lod link kbo | kbo-confirm | addresses``: links to the KBO and the address register."""

from __future__ import annotations

from pathlib import Path

import click

from midwest_lod.config import Settings
from midwest_lod.errors import PublisherError


@click.group()
def link() -> None:
    """Link the data to outside registries (KBO, Basisregisters Vlaanderen)."""


@link.command("kbo")
@click.argument("extract", type=click.Path(path_type=Path))
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Review file to write (default: data/review/kbo-candidates-<date>.csv).")
@click.option("--min-name", type=click.FloatRange(0, 1), default=0.75, show_default=True,
              help="Least name similarity for a candidate.")
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True,
              help="Most candidates per actor.")
@click.option("--all", "include_all", is_flag=True,
              help="Also actors that already have an enterprise_number.")
@click.option("--force", is_flag=True, help="Overwrite an existing review file.")
@click.pass_obj
def kbo(settings: Settings, extract: Path, output: Path | None, min_name: float, limit: int,
        include_all: bool, force: bool) -> None:
    """Propose candidate enterprise numbers for the actors from a KBO Open Data EXTRACT.

    EXTRACT is the folder or .zip of a full extract (meta.csv, code.csv, enterprise.csv,
    denomination.csv, address.csv). Writes a review file; changes no data file. Mark the right
    rows with yes/ja/x in its `confirm` column, then run `midwest-lod link kbo-confirm`.
    """
    from midwest_lod.linking.actors import read_actors
    from midwest_lod.linking.candidates import find_candidates
    from midwest_lod.linking.kbo import Extract
    from midwest_lod.linking.places import Places
    from midwest_lod.linking.review import review_text, write_review

    root = Path(settings.data_dir)
    try:
        actors = read_actors(root)
        skipped = [a for a in actors if a.enterprise_number and not include_all]
        actors = [a for a in actors if include_all or not a.enterprise_number]
        with Extract(extract) as source:
            click.echo(f"Reading {source.label} ...", err=True)
            found = find_candidates(source, actors, Places.load(root), min_name=min_name,
                                    limit=limit)
            text = review_text(found, extract_number=source.extract_number,
                               snapshot_date=source.snapshot_date)
            target = output or root / "review" / f"kbo-candidates-{source.snapshot_date}.csv"
        write_review(target, text, force=force)
    except PublisherError as exc:
        raise click.ClickException(str(exc)) from exc
    for actor in skipped:
        click.echo(f"  {actor.key}: has enterprise_number {actor.enterprise_number} (skipped; "
                   "--all to include)")
    for key, items in sorted(found.items()):
        best = f", best {items[0].number} {items[0].denomination!r} ({items[0].score:.2f})" \
            if items else ""
        click.echo(f"  {key}: {len(items)} candidate(s){best}")
    click.echo(f"Wrote {target}. Nothing was accepted: type yes in its `confirm` column for "
               f"the right rows, then run `midwest-lod link kbo-confirm {target}`.")


@link.command("kbo-confirm")
@click.argument("review", type=click.Path(path_type=Path))
@click.option("--replace", is_flag=True,
              help="Replace an enterprise_number the actor already has with another number.")
@click.pass_obj
def kbo_confirm(settings: Settings, review: Path, replace: bool) -> None:
    """Write the enterprise numbers confirmed in a REVIEW file into the actors' YAML files.

    Only rows with yes, ja or x in `confirm` are used; each number must pass the mod-97
    check. Comments and layout of the YAML files are kept. On any problem nothing is written.
    """
    from midwest_lod.linking.review import apply_confirmations, read_confirmations

    try:
        confirmations = read_confirmations(review)
        messages = apply_confirmations(Path(settings.data_dir), confirmations, replace=replace)
    except PublisherError as exc:
        raise click.ClickException(str(exc)) from exc
    if not messages:
        click.echo("No row is confirmed (type yes, ja or x in the `confirm` column); nothing "
                   "was written.")
        return
    for message in messages:
        click.echo(f"  {message}")
    click.echo("Run `midwest-lod validate` to check the result.")


@link.command("addresses")
@click.option("--actor", "actors", multiple=True,
              help="Only this actor (key; repeatable). Other actors' cached links are kept.")
@click.option("--min-score", type=click.FloatRange(0, 100), default=90, show_default=True,
              help="Least adresmatch score of an accepted match.")
@click.option("--margin", type=click.FloatRange(0, 100), default=10, show_default=True,
              help="Least score lead of the best match over the next one.")
@click.option("--dry-run", is_flag=True, help="Ask and report, but do not write the cache.")
@click.pass_obj
def addresses(settings: Settings, actors: tuple[str, ...], min_score: float, margin: float,
              dry_run: bool) -> None:
    """Match the actors' site addresses with the address register (adresmatch API).

    Writes data/links/addresses.csv (read by the build, which then links each site address
    to https://data.vlaanderen.be/id/adres/{id}). Only unambiguous matches are kept. Any
    network error or error answer stops the run and leaves the cache unchanged.
    """
    from midwest_lod.linking.addresses import CACHE, Outcome, link_addresses

    def show(outcome: Outcome) -> None:
        site = outcome.site
        click.echo(f"  {site.actor}/{site.site} ({site.text}): {outcome.status}: "
                   f"{outcome.detail}")

    try:
        outcomes = link_addresses(settings, only=actors, min_score=min_score, margin=margin,
                                  dry_run=dry_run, progress=show)
    except PublisherError as exc:
        raise click.ClickException(str(exc)) from exc
    linked = sum(1 for o in outcomes if o.status == "linked")
    click.echo(f"{linked} of {len(outcomes)} site address(es) linked.")
    if dry_run:
        click.echo("Dry run: the cache was not written.", err=True)
    else:
        click.echo(f"Wrote {Path(settings.data_dir) / CACHE}.")


COMMANDS = [link]
