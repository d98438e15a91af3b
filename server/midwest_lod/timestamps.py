"""Time stamps as the publisher writes them: ISO 8601 in UTC with ``Z`` (``build.json``'s
``built_at``, ``dct:modified``, the event stream's members)."""

from __future__ import annotations

from datetime import UTC, datetime


def parse_utc(value: str) -> datetime:
    """``2026-01-02T03:04:05Z`` (or with an offset) as an aware datetime in UTC; a stamp
    without an offset is UTC. :class:`ValueError` when ``value`` is no ISO 8601 time."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def format_utc(moment: datetime) -> str:
    """An aware datetime as the publisher writes it: ``2026-01-02T03:04:05Z``."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
