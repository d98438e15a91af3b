"""SHACL validation with pySHACL, and a report a data steward can act on.

:func:`validate_graph` runs pySHACL and returns typed :class:`Finding` s. :func:`format_report`
groups findings (and unreadable-file errors) by file and record, with line, field, rule and the
message in Dutch and English.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence  # noqa: F401
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyshacl import validate as pyshacl_validate
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from midwest_lod.errors import ConfigError, SourceError
from midwest_lod.pipeline.emitter import Origin
from midwest_lod.rdfutil import parse_rebased
from midwest_lod.vocab import SH

VIOLATION = "Violation"
WARNING = "Warning"


@dataclass
class Finding:
    """One SHACL result."""

    severity: str
    focus: Node
    path: Node | None
    value: Node | None
    shape: Node | None
    component: Node | None
    messages: dict[str, str] = field(default_factory=dict)
    #: The first predicate of ``path`` when it is a sequence path (to locate the statement).
    head: Node | None = None

    def message(self, lang: str = "en") -> str:
        return self.messages.get(lang) or next(iter(self.messages.values()), "")


@dataclass
class ValidationOutcome:
    """Findings of one or more validation runs, plus the merged SHACL report graph."""

    findings: list[Finding] = field(default_factory=list)
    report: Graph = field(default_factory=Graph)

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == VIOLATION]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    def only(self, focus: set[URIRef]) -> ValidationOutcome:
        """The findings (and report results) about the given focus nodes only."""
        kept = [f for f in self.findings if f.focus in focus]
        report = Graph()
        for result in set(self.report.objects(None, SH.result)):
            if self.report.value(result, SH.focusNode) in focus:
                _copy_tree(self.report, result, report)
        return ValidationOutcome(kept, report)

    def as_report(self) -> Graph:
        """One sh:ValidationReport over every result collected (conforms = no violation)."""
        graph = Graph()
        graph.bind("sh", SH)
        graph += self.report
        for node in list(graph.subjects(RDF.type, SH.ValidationReport)):
            graph.remove((node, None, None))
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(not self.violations)))
        nested = set(graph.objects(None, SH.detail))
        for result in set(graph.subjects(SH.focusNode, None)) - nested:
            graph.add((report, SH.result, result))
        return graph

    def extend(self, other: ValidationOutcome) -> None:
        self.findings.extend(other.findings)
        self.report += other.report


def load_shapes(shapes_dir: Path, base: str) -> Graph:
    """Every ``*.ttl`` of the shapes folder, rebased to ``base``."""
    graph = Graph()
    files = sorted(shapes_dir.glob("*.ttl"))
    if not files:
        raise SourceError(str(shapes_dir), None, "no SHACL shapes (*.ttl) found")
    for path in files:
        parse_rebased(graph, path, base)
    return graph


PYSHACL = "pyshacl"
TURBO = "turbo"
AUTO = "auto"
ENGINES = (AUTO, PYSHACL, TURBO)
#: With engine "auto", builds with more organisations than this use the Rust engine.
AUTO_TURBO_ABOVE = 2000


def choose_engine(setting: str, organisations: int) -> str:
    """The SHACL engine for a build (docs/decisions/0005-shacl-engine.md)."""
    if setting not in ENGINES:
        raise ConfigError(f"shacl_engine must be one of {', '.join(ENGINES)}, got {setting!r}")
    if setting == AUTO:
        return TURBO if organisations > AUTO_TURBO_ABOVE and _turbo_available() else PYSHACL
    if setting == TURBO and not _turbo_available():
        raise ConfigError("shacl_engine is 'turbo' but pyshacl-turbo is not installed")
    return setting


def _turbo_available() -> bool:
    try:
        import pyshacl_turbo  # noqa: F401
    except ImportError:  # pragma: no cover - it is a dependency
        return False
    return True


def validate_graph(data: Graph | ox.Store | str, shapes: Graph, *,
                   engine: str = PYSHACL) -> ValidationOutcome:
    """Validate ``data`` against ``shapes`` with pySHACL or its Rust port pyshacl-turbo.

    ``data`` is an rdflib graph, or (for the Rust engine) a pyoxigraph store or N-Triples text
    (what the build gives it: no store to load and dump again, docs/decisions/0021-fast-mapping.md).

    Both take the same options and give the same results on every fixture and on the real
    data (tests/pipeline/test_shacl_engines.py); messages are read from the shapes graph so
    they keep their language whatever the engine reports.
    """
    if engine == TURBO:
        _conforms, report, _text = _turbo_validate(data, shapes)
    else:
        assert isinstance(data, Graph), "pySHACL validates an rdflib graph"
        _conforms, report, _text = pyshacl_validate(
            data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True)
    return ValidationOutcome(list(_findings(report, shapes)), report)


#: The shapes compiled by pyshacl-turbo, by the shapes graph (kept alive with it): a build
#: validates every batch against the same graph, compiled once per process.
_COMPILED: dict[int, tuple[Graph, Any]] = {}


def _turbo_validate(data: Graph | ox.Store | str, shapes: Graph) -> tuple[bool, Graph, str]:
    """What ``pyshacl_turbo.validate(data, shacl_graph=shapes, inference="none",
    advanced=True, allow_warnings=True)`` answers, with the shapes compiled once."""
    from pyshacl_turbo import ValidationFailure, compile_shapes
    from pyshacl_turbo.rdf import Input

    entry = _COMPILED.get(id(shapes))
    if entry is None or entry[0] is not shapes:
        entry = _COMPILED[id(shapes)] = (shapes, compile_shapes(  # type: ignore[no-untyped-call]
            shapes, advanced=True))
    source: Graph | ox.Store | Input = data if not isinstance(data, str) else \
        Input(data, "nt", None, {}, preserve_ids=True)
    try:
        conforms, report, text = entry[1].validate(
            source, allow_warnings=True, _normalize_report_literals=True)
    except ValidationFailure as failure:  # pragma: no cover - the shapes are checked in CI
        raise ConfigError(f"the SHACL engine failed: {failure}") from failure
    return bool(conforms), report, str(text)


def _findings(report: Graph, shapes: Graph) -> Iterable[Finding]:
    # Only top-level results: nested sh:detail results repeat them with pyshacl's own text.
    for result in set(report.objects(None, SH.result)):
        severity = report.value(result, SH.resultSeverity)
        shape = report.value(result, SH.sourceShape)
        messages: dict[str, str] = {}
        for message in shapes.objects(shape, SH.message) if shape is not None else ():
            if isinstance(message, Literal):
                messages.setdefault(message.language or "", str(message))
        for message in report.objects(result, SH.resultMessage):
            if isinstance(message, Literal):
                messages.setdefault(message.language or "", str(message))
        focus = report.value(result, SH.focusNode)
        assert focus is not None
        path = report.value(result, SH.resultPath)
        head = path
        while head is not None and not isinstance(head, URIRef):
            head = report.value(head, RDF.first)
        yield Finding(
            severity=str(severity).rsplit("#", 1)[-1] if severity else VIOLATION,
            focus=focus,
            path=path,
            head=head,
            value=report.value(result, SH.value),
            shape=shape,
            component=report.value(result, SH.sourceConstraintComponent),
            messages=messages,
        )


def _copy_tree(source: Graph, node: Node, target: Graph) -> None:
    """Copy ``node``'s triples and, recursively, those of the blank nodes it points to."""
    for p, o in source.predicate_objects(node):
        target.add((node, p, o))
        if isinstance(o, BNode):
            _copy_tree(source, o, target)


# --- the readable report --------------------------------------------------------------------

@dataclass
class Located:
    """A finding or a source error, placed in a file and a record."""

    path: str
    record_line: int | None
    line: int | None
    field: str | None
    severity: str
    rule: str
    message_en: str
    message_nl: str
    subject: str | None = None


def locate(findings: Iterable[Finding], subject_origin: dict[URIRef, Origin],
           statement_origin: dict[tuple[URIRef, URIRef], Origin], *,
           short: dict[str, str] | None = None) -> list[Located]:
    """Place each finding in the file, record, line and field its statement came from."""
    located = []
    for finding in findings:
        focus = finding.focus if isinstance(finding.focus, URIRef) else None
        record = subject_origin.get(focus) if focus is not None else None
        statement = None
        if focus is not None and isinstance(finding.head, URIRef):
            statement = statement_origin.get((focus, finding.head))
        where = statement or record
        located.append(Located(
            path=where.path if where else "(generated)",
            record_line=record.line if record else None,
            line=where.line if where else None,
            field=(statement.field if statement else None) or _local(finding.head),
            severity=finding.severity,
            rule=_short(finding.shape, short) or _short(finding.component, short) or "?",
            message_en=finding.message("en"),
            message_nl=finding.message("nl"),
            subject=str(focus) if focus is not None else None,
        ))
    return located


def locate_errors(errors: Iterable[SourceError]) -> list[Located]:
    return [Located(e.path, e.line, e.line, e.field, "Error", "readable-source", e.message, "")
            for e in errors]


def format_report(items: Sequence[Located], *, include_warnings: bool = True) -> str:
    """Group by file, then record; one line per problem with line, field, rule and message."""
    shown = [i for i in items if include_warnings or i.severity != WARNING]
    if not shown:
        return "No problems found.\n"
    by_file: dict[str, list[Located]] = defaultdict(list)
    for item in shown:
        by_file[item.path].append(item)
    out: list[str] = []
    for path in sorted(by_file):
        out.append(f"data/{path}" if not path.startswith("(") else path)
        records: dict[tuple[int, str], list[Located]] = defaultdict(list)
        for item in by_file[path]:
            records[(item.record_line or 0, item.subject or "")].append(item)
        for (record_line, subject), problems in sorted(records.items()):
            label = f"  record at line {record_line}" if record_line else "  file"
            if subject:
                label += f" ({subject})"
            out.append(label)
            for p in sorted(problems, key=lambda x: (x.line or 0, x.field or "", x.rule)):
                where = f"line {p.line}" if p.line else "-"
                out.append(f"    {p.severity.upper():9} {where:9} {p.field or '-'}  [{p.rule}]")
                out.append(f"        {p.message_en}")
                if p.message_nl:
                    out.append(f"        {p.message_nl}")
    counts: dict[str, int] = defaultdict(int)
    for item in shown:
        counts[item.severity] += 1
    summary = ", ".join(f"{n} {sev.lower()}{'s' if n != 1 else ''}"
                        for sev, n in sorted(counts.items()))
    out.append(f"\n{summary}")
    return "\n".join(out) + "\n"


def _local(node: Node | None) -> str | None:
    if node is None or not isinstance(node, URIRef):
        return None
    text = str(node)
    return text.rsplit("#", 1)[-1] if "#" in text else text.rsplit("/", 1)[-1]


def _short(node: Node | None, short: dict[str, str] | None) -> str | None:
    if node is None or not isinstance(node, URIRef):
        return None
    text = str(node)
    for prefix, name in (short or {}).items():
        if text.startswith(prefix):
            return f"{name}:{text[len(prefix):]}"
    return _local(node)
