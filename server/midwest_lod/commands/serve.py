"""``midwest-lod serve``: build when nothing is published yet, then serve the published version.

Serves with granian and the front of :mod:`midwest_lod.web.front` (deadlines on the request
head and body, a size cap, an answer cache per published version): the same stack in
development and in production. ``--dev`` uses werkzeug's development server instead (reloads
templates, no deadlines). The production command is :data:`PRODUCTION_COMMAND` (its help says
it; docs/operations.md explains it).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections.abc import Callable
from typing import Any

import click

from midwest_lod.config import Settings
from midwest_lod.errors import PublicationError, PublisherError

#: How to run the server in production, on 2 cores: 2 web workers (docs/operations.md says
#: why). The README and docs/operations.md give the same; tests/cli keeps them in step.
PRODUCTION_COMMAND = "midwest-lod serve --host 0.0.0.0 --workers 2"
HELP = f"""Serve the published version: pages, SPARQL endpoint, dumps (builds first if needed).

Runs granian with --workers processes; in each, the request head and body are read within
deadlines (settings header_timeout, body_timeout) before one of --threads threads runs the
application. The same command serves production (publish with `midwest-lod build`,
docs/operations.md); on 2 cores:

\b
  {PRODUCTION_COMMAND}
"""


def _overrides(settings: Settings) -> dict[str, Any]:
    return {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings)}


def ensure_published(settings: Settings) -> None:
    """Run the build when ``output_dir`` has no published version, then check that the
    published version can be opened; a broken one stops the command with the reason.

    Both run in another process: the store must not be opened in this one, which becomes the
    granian master. RocksDB starts a thread pool in a process that opens a store; forked
    workers would inherit it without its threads and hang (or crash) when they exit, as
    RocksDB joins them at exit. The checks run in a forked child (this process has no threads
    yet, and the child has what is imported here: milliseconds, where a spawned one starts
    an interpreter and imports the command again); meanwhile this process imports what the
    web workers run (:func:`midwest_lod.web.preload`), so that they, forked from it, start
    with it imported. The build runs in a spawned process.
    """
    check = _Check(settings, _state)
    from midwest_lod.web import preload

    preload()
    published, problem = check.result()
    if not published:
        click.echo(f"Nothing is published in {settings.output_dir} yet: building first.",
                   err=True)
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            failure = pool.submit(_build, settings).result()
        if failure is not None:
            raise click.ClickException(
                "the build failed, so there is nothing to serve (see `midwest-lod "
                "validate`):\n" + failure)
        problem = _Check(settings, _open_problem).result()
    if problem is not None:
        raise click.ClickException(problem)


class _Check:
    """``function(settings)`` in a child process (forked where the platform can, else
    spawned), its result read by :meth:`result`."""

    def __init__(self, settings: Settings, function: Callable[[Settings], Any]) -> None:
        methods = multiprocessing.get_all_start_methods()
        context: Any = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._answer, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=_report, args=(sender, function, settings),
                                        name="midwest-lod-check", daemon=True)
        self._process.start()
        sender.close()

    def result(self) -> Any:
        try:
            answer = self._answer.recv()
        except EOFError:
            answer = None
        self._process.join()
        if not isinstance(answer, tuple):
            raise click.ClickException("checking the published version failed (the check "
                                       f"stopped with exit code {self._process.exitcode})")
        return answer[0]


def _report(sender: Any, function: Callable[[Settings], Any], settings: Settings) -> None:
    sender.send((function(settings),))


def _state(settings: Settings) -> tuple[bool, str | None]:
    """Whether a version is published and, if so, what is wrong with it (None: nothing).
    Opening the published version once, as every web worker will: a broken one (current
    pointing nowhere, an unreadable build.json, a corrupted store) stops the command with the
    reason and what to run, instead of web workers failing to boot."""
    if not _is_published(settings):
        return False, None
    return True, _open_problem(settings)


def _is_published(settings: Settings) -> bool:
    from midwest_lod.web.external import StoreUnreadable, open_publication

    try:
        open_publication(settings).check()  # output_dir/current, or the external store
    except StoreUnreadable:
        return True  # a store that does not answer needs no build: _open_problem says why
    except PublicationError:
        return False
    return True


def _build(settings: Settings) -> str | None:
    """The build report when the build fails, else None."""
    from midwest_lod.pipeline import run_build

    result = run_build(settings)
    return None if result.ok else result.report(include_warnings=False)


def _open_problem(settings: Settings) -> str | None:
    """What is wrong with the published version, or None when it can be served."""
    from midwest_lod.web.external import open_publication

    try:
        open_publication(settings).current()
    except PublicationError as exc:
        return str(exc)
    return None


@click.command(help=HELP)
@click.option("--host", help="Interface to listen on (setting host, default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (setting port, default 8000).")
@click.option("--workers", type=int,
              help="Web worker processes, each with its own query workers (setting "
                   "web_workers, default 1).")
@click.option("--threads", type=int,
              help="Threads per web worker that run the application (setting web_threads).")
@click.option("--dev", is_flag=True, help="Use werkzeug's development server.")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int | None,
          threads: int | None, dev: bool) -> None:
    """Serve the published version (the help is :data:`HELP`)."""
    settings: Settings = ctx.obj
    options = {"host": host, "port": port, "web_workers": workers, "web_threads": threads}
    settings = settings.replace(**{k: v for k, v in options.items() if v is not None})
    try:
        ensure_published(settings)
        if dev:
            from midwest_lod.web import create_app

            app = create_app(_overrides(settings))
            app.run(host=settings.host, port=settings.port, threaded=True, use_reloader=False)
        else:
            from midwest_lod.web.front import server

            click.echo(f"Serving on http://{settings.host}:{settings.port}/ (Ctrl-C stops)",
                       err=True)
            server.run(settings)
    except PublisherError as exc:
        raise click.ClickException(str(exc)) from exc


COMMANDS = [serve]
