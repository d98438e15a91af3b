// Code that runs the current query elsewhere: curl, Python (SPARQLWrapper), JavaScript fetch, R.
// Each embeds the query in that language's safest literal.

const shellQuote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

function pythonLiteral(q) {
  if (!q.includes('"""') && !q.endsWith('"') && !q.includes('\\')) return `"""${q}"""`;
  return JSON.stringify(q); // a JSON string is a valid Python string literal
}

const jsLiteral = (q) => `\`${q.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;

function rLiteral(q) { // R >= 4.0 raw string r"---( ... )---" with a delimiter not in q
  let dashes = '';
  while (q.includes(`)${dashes}"`)) dashes += '-';
  return `r"${dashes}(${q})${dashes}"`;
}

export function snippets(endpoint, query) {
  return {
    curl: `curl ${shellQuote(endpoint)} \\\n  -H 'Accept: application/sparql-results+json' \\\n  --data-urlencode query=${shellQuote(query)}`,
    python: `from SPARQLWrapper import SPARQLWrapper, JSON\n\nsparql = SPARQLWrapper(${JSON.stringify(endpoint)})\nsparql.setQuery(${pythonLiteral(query)})\nsparql.setReturnFormat(JSON)\nfor row in sparql.queryAndConvert()["results"]["bindings"]:\n    print({name: value["value"] for name, value in row.items()})`,
    javascript: `const query = ${jsLiteral(query)};\nconst response = await fetch(${JSON.stringify(endpoint)}, {\n  method: "POST",\n  headers: { Accept: "application/sparql-results+json" },\n  body: new URLSearchParams({ query }),\n});\nconst { results } = await response.json();\nconsole.table(results.bindings.map((row) =>\n  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v.value]))));`,
    r: `# install.packages("httr2")\nlibrary(httr2)\nquery <- ${rLiteral(query)}\nresponse <- request(${JSON.stringify(endpoint)}) |>\n  req_body_form(query = query) |>\n  req_headers(Accept = "text/csv") |>\n  req_perform()\nresults <- read.csv(text = resp_body_string(response))\nprint(results)`,
  };
}
