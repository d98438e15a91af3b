"""Writers for SELECT and ASK results: SPARQL JSON, SPARQL XML, CSV and TSV.

Why not ``QuerySolutions.serialize``: pyoxigraph writes the whole result set and cannot be
told to stop after ``row_limit`` rows, nor can a cut list of solutions be turned back into a
``QuerySolutions``. The worker therefore reads at most ``row_limit + 1`` solutions and writes
them here. The four formats are small and fully specified (W3C SPARQL 1.1 Query Results JSON,
XML and CSV/TSV); the tests read every one back with pyoxigraph's and SPARQLWrapper's parsers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

Term = NamedNode | BlankNode | Literal | Triple

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
_XML_ENTITIES = {"\r": "&#13;"}  # a bare CR would be read back as LF


def escape(text: str) -> str:
    return _escape(text, _XML_ENTITIES)

Row = Sequence[Term | None]


def write_solutions(format_name: str, variables: Sequence[str], rows: Sequence[Row]) -> bytes:
    """``rows`` (one term or None per variable) in the format called ``format_name``."""
    writer = _SOLUTION_WRITERS[format_name]
    return writer(variables, rows).encode("utf-8")


def write_boolean(format_name: str, value: bool) -> bytes:
    """An ASK result. CSV and TSV have no boolean form in the standard: one line, as Jena."""
    if format_name == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if format_name == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="{RESULTS_NS}"><head/>'
                f"<boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    if format_name in _SOLUTION_WRITERS:
        return b"true\n" if value else b"false\n"
    raise KeyError(format_name)


# --- JSON -------------------------------------------------------------------------------------

def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {
        "subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
        "object": _json_term(term.object)}}


def _json(variables: Sequence[str], rows: Sequence[Row]) -> str:
    bindings = [
        {name: _json_term(term) for name, term in zip(variables, row, strict=True)
         if term is not None}
        for row in rows
    ]
    return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                      ensure_ascii=False, separators=(",", ":"))


# --- XML --------------------------------------------------------------------------------------

def _xml_term(term: Term) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (f"<literal datatype={quoteattr(term.datatype.value)}>"
                    f"{escape(term.value)}</literal>")
        return f"<literal>{escape(term.value)}</literal>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject>"
            f"<predicate>{_xml_term(term.predicate)}</predicate>"
            f"<object>{_xml_term(term.object)}</object></triple>")


def _xml(variables: Sequence[str], rows: Sequence[Row]) -> str:
    parts = [f'<?xml version="1.0"?>\n<sparql xmlns="{RESULTS_NS}">\n<head>']
    parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
    parts.append("</head>\n<results>\n")
    for row in rows:
        parts.append("<result>")
        for name, term in zip(variables, row, strict=True):
            if term is not None:
                parts.append(f"<binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
        parts.append("</result>\n")
    parts.append("</results>\n</sparql>\n")
    return "".join(parts)


# --- CSV and TSV ------------------------------------------------------------------------------

def _csv_field(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BlankNode):
        text = "_:" + term.value
    elif isinstance(term, Triple):
        text = _tsv_term(term)
    else:
        text = term.value
    if any(c in text for c in '",\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv(variables: Sequence[str], rows: Sequence[Row]) -> str:
    lines = [",".join(variables)]
    lines += [",".join(_csv_field(t) for t in row) for row in rows]
    return "\r\n".join(lines) + "\r\n"


def _tsv_string(value: str) -> str:
    return (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r").replace("\t", "\\t"))


def _tsv_term(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return f"<{term.value}>"
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        text = f'"{_tsv_string(term.value)}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype.value != XSD_STRING:
            return f"{text}^^<{term.datatype.value}>"
        return text
    return (f"<< {_tsv_term(term.subject)} {_tsv_term(term.predicate)} "
            f"{_tsv_term(term.object)} >>")


def _tsv(variables: Sequence[str], rows: Sequence[Row]) -> str:
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


_SOLUTION_WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
