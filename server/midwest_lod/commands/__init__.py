"""Subcommands of ``midwest-lod``, one module each; :func:`register` adds them to the group."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add every subcommand to ``group``."""
    from midwest_lod.commands import build, link, serve, stored_queries

    for command in (*build.COMMANDS, *serve.COMMANDS, *link.COMMANDS,
                    *stored_queries.COMMANDS):
        group.add_command(command)
