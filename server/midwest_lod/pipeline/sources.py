"""Reading the steward's files in ``data/``: YAML and CSV, with the line of every value.

Every problem is a :class:`~midwest_lod.errors.SourceError` that names the file (relative to the
data folder), the line (YAML) or the row's line (CSV) and, where known, the field. Files must
be UTF-8; YAML is loaded with the safe loader only (libyaml's when available).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml

from midwest_lod.errors import SourceError

try:  # libyaml's parser is ~10x faster; the constructor stays the safe one either way
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class Mapping(dict[str, Any]):
    """A YAML mapping that remembers the line of itself and of each of its keys."""

    line: int = 0
    lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class Sequence(list[Any]):
    """A YAML sequence that remembers the line of each item."""

    line: int = 0
    lines: list[int]

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


_STR = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
_MAP = yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG
_SEQ = yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG


class _LineLoader(_BaseLoader):
    """Safe YAML loader whose mappings and sequences carry line numbers (1-based)."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """The tag of a node, as the safe resolver gives it (this loader has no path
        resolvers), with the resolvers of each first character joined once, not per node:
        libyaml calls this for every node of every file."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, pattern in _IMPLICIT.get(value[:1], _WILDCARD):
                    if pattern.match(value):
                        return tag
            return _STR
        return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]


_RESOLVERS: dict[Any, list[tuple[str, Any]]] = _BaseLoader.yaml_implicit_resolvers
_WILDCARD = tuple(_RESOLVERS.get(None, []))
#: The implicit resolvers of a plain scalar by its first character ("" for an empty one).
_IMPLICIT = {first: (*resolvers, *_WILDCARD) for first, resolvers in _RESOLVERS.items()
             if first is not None}


def _construct(loader: _LineLoader, node: yaml.Node) -> Any:
    """The value of ``node``: plain mappings, sequences and strings built here directly (the
    bulk of every file, read at the speed libyaml parses it: docs/decisions/0021-fast-mapping.md),
    every other node by the loader's constructors (numbers, booleans, null, dates as text)."""
    tag, kind = node.tag, type(node)
    if kind is yaml.ScalarNode and tag == _STR:
        return node.value
    # An alias is the node of its anchor again: it gets the same object, not a copy (an
    # "alias bomb" stays small).
    done = loader.constructed_objects.get(node)
    if done is not None:
        return done
    if not ((kind is yaml.MappingNode and tag == _MAP) or
            (kind is yaml.SequenceNode and tag == _SEQ)):
        return loader.construct_object(node, deep=True)
    if node in loader.recursive_objects:  # as the safe constructor says it
        raise yaml.constructor.ConstructorError(
            None, None, "found unconstructable recursive node", node.start_mark)
    loader.recursive_objects[node] = None
    try:
        value: Any = _construct_mapping(loader, cast(yaml.MappingNode, node)) \
            if kind is yaml.MappingNode else \
            _construct_sequence(loader, cast(yaml.SequenceNode, node))
    finally:
        del loader.recursive_objects[node]
    loader.constructed_objects[node] = value
    return value


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> Mapping:
    loader.flatten_mapping(node)
    result = Mapping()
    result.line = node.start_mark.line + 1
    lines: dict[str, int] = {}
    result.lines = lines
    for key_node, value_node in node.value:
        if type(key_node) is yaml.ScalarNode and key_node.tag == _STR:
            key = key_node.value
        else:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int):
                raise yaml.constructor.ConstructorError(
                    None, None, f"a key must be text, got {type(key).__name__}",
                    key_node.start_mark)
            key = str(key)
        if key in lines:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} appears twice in this mapping", key_node.start_mark
            )
        result[key] = _construct(loader, value_node)
        lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> Sequence:
    result = Sequence(_construct(loader, child) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_text_timestamp(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    """Dates stay text: the mapping parses them with a clear error of its own."""
    return str(loader.construct_scalar(node))


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_text_timestamp)


@dataclass
class SourceFile:
    """One file of the data folder: its path relative to the folder, bytes and checksum."""

    root: Path
    relative: str
    content: bytes = field(repr=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def text(self) -> str:
        try:
            return self.content.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = self.content[: exc.start].count(b"\n") + 1
            raise SourceError(
                self.relative, line,
                f"the file is not UTF-8 (byte 0x{self.content[exc.start]:02x} at byte "
                f"{exc.start}); save it as UTF-8",
            ) from exc


def read_file(root: Path, relative: str) -> SourceFile:
    path = root / relative
    try:
        return SourceFile(root, relative, path.read_bytes())
    except FileNotFoundError as exc:
        raise SourceError(relative, None, "the file is missing") from exc
    except OSError as exc:
        raise SourceError(relative, None, f"cannot read the file: {exc.strerror}") from exc


def load_yaml(source: SourceFile) -> Any:
    """Parse a YAML file; a syntax error names the line and column."""
    text = source.text()
    try:
        loader = _LineLoader(text)
        try:
            node = loader.get_single_node()
            return None if node is None else _construct(loader, node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        # Report where the broken construct starts (context) and where parsing failed.
        start, failed = exc.context_mark, exc.problem_mark
        mark = start or failed
        line = mark.line + 1 if mark is not None else None
        where = f", column {mark.column + 1}" if mark is not None else ""
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{exc.context}: {problem}"
        if start is not None and failed is not None and failed.line != start.line:
            problem += f" (noticed at line {failed.line + 1}, column {failed.column + 1})"
        raise SourceError(source.relative, line, f"invalid YAML{where}: {problem}") from exc
    except yaml.YAMLError as exc:
        raise SourceError(source.relative, None, f"invalid YAML: {exc}") from exc
    except RecursionError as exc:
        raise SourceError(source.relative, None, "invalid YAML: nested too deeply") from exc


@dataclass
class Row:
    """One CSV data row: its values by column and the line it starts on."""

    path: str
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def error(self, column: str | None, message: str) -> SourceError:
        return SourceError(self.path, self.line, message, column)


def load_csv(source: SourceFile, *, required: tuple[str, ...]) -> list[Row]:
    """Parse a comma-separated UTF-8 file with a header row holding at least ``required``."""
    text = source.text()
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise SourceError(source.relative, 1, "the file is empty; it needs a header row") from None
    except csv.Error as exc:
        raise SourceError(source.relative, 1, f"malformed CSV header: {exc}") from exc
    columns = [name.strip() for name in header]
    missing = [name for name in required if name not in columns]
    if missing:
        raise SourceError(
            source.relative, 1,
            f"missing column(s) {', '.join(missing)}; the header has {', '.join(columns)}",
        )
    duplicates = sorted({name for name in columns if columns.count(name) > 1})
    if duplicates:
        raise SourceError(source.relative, 1, f"duplicate column(s) {', '.join(duplicates)}")
    rows: list[Row] = []
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise SourceError(source.relative, line, f"malformed CSV: {exc}") from exc
        if any(cell.strip() for cell in cells):
            if len(cells) != len(columns):
                raise SourceError(
                    source.relative, line,
                    f"this row has {len(cells)} fields, the header has {len(columns)} "
                    "(a missing or extra comma, or an unquoted comma inside a value?)",
                )
            rows.append(Row(source.relative, line, dict(zip(columns, cells, strict=True))))
        line = reader.line_num + 1
    return rows


def list_files(root: Path, folder: str, suffix: str) -> Iterator[str]:
    """Relative paths of the files ending in ``suffix`` in ``root/folder``, sorted."""
    directory = root / folder
    if not directory.is_dir():
        return
    for path in sorted(directory.iterdir()):
        if path.is_file() and path.name.endswith(suffix) and not path.name.startswith("."):
            yield f"{folder}/{path.name}"
