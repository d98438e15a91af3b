"""Starting granian with the front: what ``midwest-lod serve`` runs, in development and in
production alike (docs/operations.md)."""

from __future__ import annotations

import dataclasses
import math
import os

from midwest_lod.config import ENV_PREFIX, Settings

#: One access log line: who, when, the request line (the query string after it), status,
#: milliseconds.
ACCESS_LOG = ('%(addr)s - [%(time)s] "%(method)s %(path)s %(protocol)s" %(status)d '
              '%(dt_ms).1fms ?%(query_string)s')


def export(settings: Settings) -> None:
    """Put every setting in this process's environment (``MIDWEST_LOD_*``), where the web
    workers' :func:`midwest_lod.web.front.create_front` reads them."""
    for field in dataclasses.fields(settings):
        value = getattr(settings, field.name)
        if value is not None:
            os.environ[ENV_PREFIX + field.name.upper()] = str(value)


def run(settings: Settings, target: str = "midwest_lod.web.front:create_front") -> None:
    """Serve until stopped (SIGINT, SIGTERM): ``web_workers`` granian worker processes, each
    running the front made by the factory ``target`` on its event loop (uvloop) over HTTP/1.1
    (``bench/hello.py`` serves its app the same way).

    Nothing here opens the store: granian forks its workers from this process.
    """
    from granian import Granian
    from granian.constants import HTTPModes, Interfaces, Loops
    from granian.http import HTTP1Settings

    export(settings)
    deadlines = settings.header_timeout + settings.body_timeout
    Granian(
        target,
        factory=True,
        address=settings.host,
        port=settings.port,
        interface=Interfaces.RSGI,
        http=HTTPModes.http1,  # h2c has other flow control and time-outs: not offered
        websockets=False,
        loop=Loops.uvloop,
        workers=settings.web_workers,
        backlog=2048,
        http1_settings=HTTP1Settings(
            header_read_timeout=max(1, round(settings.header_timeout * 1000)),
            keep_alive=True,
            max_buffer_size=settings.max_head_bytes,
        ),
        respawn_failed_workers=True,  # else one crashed worker stops the whole server
        # a graceful stop waits for open connections: the deadlines bound them, this caps it
        workers_kill_timeout=math.ceil(deadlines + settings.query_timeout + 5),
        log_access=settings.server_access_log,  # granian's own; the JSON log is requestlog's
        log_access_format=ACCESS_LOG,
    ).serve()
