"""Hypothesis strategies for the HTTP surface, and what every response must satisfy.

A request is a method, a path (the published prefixes with random segments: percent-encoded
bytes that are not UTF-8, dot segments, very long segments, names that exist), a query
string, request headers (Accept, Content-Type, validators, X-Forwarded-For, ...) and a body
(form, SPARQL query text, random bytes). SPARQL queries are drawn from their own strategy:
random text and bytes, unbalanced and deeply nested brackets, a query past the size limit,
many PREFIXes, and SERVICE in odd places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from hypothesis import strategies as st

#: Put in inputs: an HTML response must never contain it unescaped.
MARKER = "<x-fuzz>"

PREFIXES = ["/", "/id/", "/doc/", "/ns/", "/ns/sociale-economie", "/sparql", "/sparql/",
            "/dumps/", "/dumps", "/static/", "/ldes", "/ldes/", "/catalog", "/.well-known/",
            "/health", "/-/health", "/actoren", "/themas", "/gemeenten", "/basisprincipes",
            "/initiatieftypes", "/doc/gemeente/", "/id/gemeente/", "/doc/organisatie/",
            "/id/organisatie/", "/doc/dataset/", "/id/regio/", "/ns/", ""]
KNOWN = ["36015", "36015.ttl", "36015.jsonld", "36015.html", "36015.nt", "36015.rdf",
         "36015.xyz", "mariasteen", "sociale-economie", "sociale-economie.ttl", "midwest",
         "midwest-sociale-economie.ttl", "midwest-sociale-economie.nt.gz",
         "midwest-sociale-economie.ttl.sha256", "style.css", "void", "index.ttl"]
ODD = ["..", ".", "%2e%2e", "%2E", "%2e", "%00", "%ff", "%fe%ff", "%c3%28", "%e2%82",
       "%ed%a0%80", "%2f", "%5c", "", "~", "%", "%%", "%zz", "%u0041", ";", ";x=1", "a b",
       "%20", "+", "%0a", "%0d%0a", "\u00e9", "\u2028", "\U0001f600", "\ufffd", MARKER,
       "%3Cx-fuzz%3E", "a" * 300, "x" * 5000]
MEDIA_TYPES = ["text/html", "application/xhtml+xml", "application/json", "text/plain",
               "text/turtle", "application/ld+json", "application/n-triples",
               "application/rdf+xml", "application/n-quads", "application/trig",
               "application/sparql-results+json", "application/sparql-results+xml",
               "text/csv", "text/tab-separated-values", "application/gzip", "image/png",
               "*/*", "text/*", "application/*", "*", "", "text/html;level=1",
               "application/json;charset=latin-1", "x/y;q=abc", ";;;", "text/html;q=0"]
CONTENT_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data",
                 "multipart/form-data; boundary=xyz", "application/sparql-query",
                 "application/sparql-query; charset=utf-16", "application/sparql-update",
                 "text/plain", "application/json", "application/octet-stream", "",
                 "application/x-www-form-urlencoded; charset=latin-1", "text/turtle",
                 "multipart/mixed", "application/x-www-form-urlencoded;;"]
PARAMETERS = ["query", "format", "default-graph-uri", "named-graph-uri", "update", "q",
              "using-graph-uri", "output", "timeout", "x"]

#: Bodies never contain these: what a traceback or a leaked exception looks like.
LEAKS = re.compile(r"Traceback|File \"/|\b\w*(?:Error|Exception|Warning)\b|\bline \d+, in\b")

latin1 = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=80)
unicode_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)


@st.composite
def percent_bytes(draw: st.DrawFn) -> str:
    """Random bytes, percent-encoded (often not UTF-8)."""
    return "".join(f"%{b:02X}" for b in draw(st.binary(min_size=1, max_size=12)))


segment = st.one_of(st.sampled_from(KNOWN), st.sampled_from(ODD), percent_bytes(),
                    unicode_text.map(lambda t: quote(t, safe="")),
                    st.text("abcxyz-_.~0123456789", min_size=1, max_size=20))


@st.composite
def paths(draw: st.DrawFn) -> str:
    prefix = draw(st.sampled_from(PREFIXES))
    segments = draw(st.lists(segment, max_size=4))
    path = prefix + "/".join(segments)
    return path if path.startswith("/") else "/" + path


SERVICE_KEYWORDS = ["SERVICE", "service", "Service", "sErViCe", "SERVICE SILENT",
                    "service silent"]
FAR = "<http://127.0.0.1:9/sparql>"


@st.composite
def service_queries(draw: st.DrawFn) -> str:
    """SERVICE as a keyword, in odd places: lower case, after comments, in subqueries."""
    keyword = draw(st.sampled_from(SERVICE_KEYWORDS))
    before = draw(st.sampled_from(["", "# a comment\n", "#SERVICE\n", "\n\t", "{}", "?s ?p ?o ."]))
    inner = f"{before}{keyword}{draw(st.sampled_from([' ', '', chr(10), '#x' + chr(10)]))}" \
            f"{FAR} {{ ?s ?p ?o }}"
    frame = draw(st.sampled_from([
        "SELECT * WHERE {{ {} }}", "SELECT * {{ OPTIONAL {{ {} }} }}",
        "SELECT * WHERE {{ {{ SELECT * WHERE {{ {} }} }} }}", "ASK {{ {} }}",
        "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {} }}", "PREFIX s: <http://s/>\nSELECT * {{ {} }}",
        "SELECT * {{ {{}} UNION {{ {} }} }}", "SELECT * WHERE {{ MINUS {{ {} }} }}",
    ]))
    return str(frame.format(inner))


@st.composite
def harmless_service_queries(draw: st.DrawFn) -> str:
    """The word SERVICE where it is not the keyword: strings, IRIs, comments, names."""
    word = draw(st.sampled_from(SERVICE_KEYWORDS))
    place = draw(st.sampled_from([
        '?s ?p "{}"', "?s ?p '{}'", '?s ?p """x {} y"""', "?s ?p '''{}'''",
        "?s <http://e/{}> ?o", "# {}\n?s ?p ?o", "?{} ?p ?o", "?s ?p ?o FILTER(?s != \"{}\")",
        "?s ?p ?o BIND(\"{} <x> {{ }}\" AS ?x)", "?s ?p \"{}\"@en",
    ]))
    if place.startswith(("?{}", "?s <")):  # a variable or an IRI has no space in it
        word = word.replace(" ", "_")
    body = place.format(word)
    prefix = draw(st.sampled_from(["", "PREFIX ex: <http://e/SERVICE#>\n", "# SERVICE\n"]))
    return f"{prefix}SELECT * WHERE {{ {body} }} LIMIT 1"


@st.composite
def nested_queries(draw: st.DrawFn) -> str:
    depth = draw(st.integers(1, 3000))
    opening, closing = draw(st.sampled_from([("{", "}"), ("(", ")"), ("[", "]"),
                                             ("{ SELECT * WHERE {", "} }"),
                                             ("OPTIONAL {", "}"), ("CONCAT(", ")")]))
    balanced = draw(st.booleans())
    tail = closing * (depth if balanced else draw(st.integers(0, depth)))
    return f"SELECT * WHERE {{ {opening * depth} ?s ?p ?o {tail} }}"


@st.composite
def many_prefixes(draw: st.DrawFn) -> str:
    n = draw(st.integers(1, 3000))
    return "".join(f"PREFIX p{i}: <http://e/{i}#>\n" for i in range(n)) + \
        "SELECT * WHERE { ?s ?p ?o } LIMIT 1"


queries = st.one_of(
    unicode_text,
    st.binary(max_size=200).map(lambda b: b.decode("utf-8", "replace")),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    st.text("{}()[]<>?$\"'#\\ \n.;,:^!|*+/-=SELECTWHRAKOPINUFDBv0123456789", max_size=120),
    st.sampled_from(["SELECT * WHERE { ?s ?p ?o } LIMIT 3", "ASK {}", "DESCRIBE <http://x>",
                     "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2", "SELECT", "{", "}", "",
                     "SELECT * WHERE { ?s ?p ?o", "INSERT DATA { <a> <b> <c> }",
                     "DROP ALL", "SELECT * FROM <http://x> { ?s ?p ?o } LIMIT 1",
                     "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # " + MARKER,
                     "SELECT * WHERE { ?s ?p \"" + MARKER + "\" }",
                     "SELECT (\"" + MARKER + "\" AS ?x) {}",
                     "SELECT * WHERE { ?s ?p ?o } LIMIT 1 \\u0053ERVICE",
                     "ASK { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
                     "SELECT * WHERE { ?s ?p ?o } " + "x" * 200_000]),
    service_queries(), harmless_service_queries(), nested_queries(), many_prefixes(),
)


@dataclass
class Request:
    method: str
    path: str
    params: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None

    def __repr__(self) -> str:  # short: a failing example may carry a 200 KB query
        def cut(value: object) -> str:
            text = repr(value)
            return text if len(text) <= 300 else f"{text[:300]}...({len(text)} chars)"

        return (f"Request({self.method} {cut(self.path)}, params={cut(self.params)}, "
                f"headers={cut(self.headers)}, body={cut(self.body)})")

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:  # hypothesis' printer
        printer.text(repr(self))

    def text(self) -> str:
        """Everything the request says, as text (to tell echoed input from a leak)."""
        from urllib.parse import unquote

        parts = [self.path, unquote(self.path, errors="replace"), *self.headers.values()]
        parts += [f"{k}={v}" for k, v in self.params]
        if self.body:
            decoded = self.body.decode("utf-8", "replace")
            parts += [decoded, unquote(decoded.replace("+", " "), errors="replace")]
        return "\n".join(parts)


@st.composite
def requests_(draw: st.DrawFn) -> Request:
    """A request anywhere on the HTTP surface."""
    method = draw(st.sampled_from(["GET", "GET", "GET", "HEAD", "POST", "POST", "PUT",
                                   "DELETE", "OPTIONS", "PATCH"]))
    path = draw(st.one_of(paths(), st.sampled_from(["/sparql", "/sparql", "/dumps/"])))
    params = draw(st.lists(st.tuples(st.one_of(st.sampled_from(PARAMETERS), latin1),
                                     st.one_of(queries, st.sampled_from(MEDIA_TYPES), latin1)),
                           max_size=3))
    headers: dict[str, str] = {}
    if draw(st.booleans()):
        accept = draw(st.lists(st.tuples(st.sampled_from(MEDIA_TYPES),
                                         st.sampled_from(["", ";q=0.5", ";q=0", ";q=1.5",
                                                          ";q=x", ";level=1"])),
                               max_size=4))
        headers["Accept"] = ", ".join(m + q for m, q in accept)
    if draw(st.integers(0, 4)) == 0:
        headers["Accept"] = draw(latin1)
    for name, values in (("If-None-Match", ['"x"', "*", 'W/"x"', "garbage", ""]),
                         ("If-Modified-Since", ["Thu, 01 Jan 2026 00:00:00 GMT", "x", ""]),
                         ("Accept-Encoding", ["gzip", "br", "*", "gzip;q=0", "x"]),
                         ("Range", ["bytes=0-10", "bytes=-5", "bytes=9-1", "bytes=x", ""]),
                         ("X-Forwarded-For", ["1.2.3.4", "x", ", ,", MARKER])):
        if draw(st.integers(0, 5)) == 0:
            headers[name] = draw(st.one_of(st.sampled_from(values), latin1))
    body = None
    if method in ("POST", "PUT", "PATCH") or draw(st.integers(0, 10)) == 0:
        headers["Content-Type"] = draw(st.one_of(st.sampled_from(CONTENT_TYPES), latin1))
        body = draw(st.one_of(
            queries.map(lambda q: q.encode("utf-8")),
            queries.map(lambda q: ("query=" + quote(q)).encode("ascii")),
            st.binary(max_size=300),
            st.sampled_from([b"query=ASK%7B%7D&query=ASK%7B%7D", b"update=DROP+ALL",
                             b"query=%ff%fe", b"query", b"=", b"&&&", b"query=ASK{}&format=x",
                             b"--xyz\r\nContent-Disposition: form-data; name=\"query\"\r\n\r\n"
                             b"ASK {}\r\n--xyz--\r\n"]),
        ))
    return Request(method, path, params, headers, body)


def problems(request: Request, status: int, headers: dict[str, str], body: bytes) -> list[str]:
    """What is wrong with the answer to ``request`` (an empty list: nothing)."""
    found = []
    text = body.decode("utf-8", "replace")
    if status >= 500 and not (status == 503 and ("ran longer than" in text
                                                 or "query workers are busy" in text)):
        found.append(f"status {status}")
    said = request.text()
    leaked = {m.group() for m in LEAKS.finditer(text)} - {
        m.group() for m in LEAKS.finditer(said)}
    leaked = {word for word in leaked if word not in said}
    if leaked:
        found.append(f"leaks {sorted(leaked)}")
    lowered = {k.lower(): v for k, v in headers.items()}
    if lowered.get("x-content-type-options") != "nosniff":
        found.append("no X-Content-Type-Options: nosniff")
    content_type = lowered.get("content-type", "")
    if content_type.startswith("text/html"):
        if "content-security-policy" not in lowered:
            found.append("HTML without Content-Security-Policy")
        if MARKER in text:
            found.append("input echoed unescaped in HTML")
    return found
