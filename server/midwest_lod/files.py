"""Files on disk: their digest, and writes that are atomic and durable.

Every file the publisher writes in place of another (the event stream's index, the data files
the linking commands change) goes through :func:`write_atomically`: a reader sees the old file
or the new one, never a part, and after a crash the file is one of them. A version folder is
written whole and made durable with :func:`fsync_tree` before it is published.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

#: Permissions of a new file written atomically: readable like the published version.
NEW_FILE_MODE = 0o644


def file_digest(path: Path) -> str:
    """The sha256 of the file at ``path``, in hexadecimal (read in blocks, memory stays flat)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_atomically(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Replace ``path`` with ``data`` (bytes, or chunks of them) at once.

    A temporary file in the same folder is written, flushed to disk and renamed over ``path``,
    then the folder is flushed: on any error the old file stays as it was. The file keeps the
    permissions of the one it replaces (a new one gets :data:`NEW_FILE_MODE`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else NEW_FILE_MODE
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.chmod(temporary, mode)
        with os.fdopen(handle, "wb") as out:
            if isinstance(data, bytes):
                out.write(data)
            else:
                out.writelines(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (a rename, a new or removed file in it) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(path: Path) -> None:
    """Flush every file and folder under ``path`` to disk."""
    for root, _dirs, files in os.walk(path):
        for name in files:
            with open(os.path.join(root, name), "rb") as handle:
                os.fsync(handle.fileno())
        fsync_dir(Path(root))
