// Runs SPARQL queries with Comunica (@comunica/query-sparql, installed by .ci/run into
// tools/comunica) over a Triple Pattern Fragments interface, all in one process (Comunica takes
// seconds to start). Reads {"source", "route": [from, to], "queries": [{"name", "text"}]} as
// JSON on stdin; writes {"answers": {name: ...}, "requests": [urls]} as JSON on stdout.
//
// The interface's IRIs are under the publication's base IRI (https://data.midwest.be/tpf);
// the fetch given to Comunica sends a request for a URL under `from` to the same path under
// `to` (the test server), as a reverse proxy or a hosts entry would, and refuses any other
// URL: Comunica reaches nothing but the interface.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'tools', 'comunica', 'package.json'));
const { QueryEngine } = require('@comunica/query-sparql');
// No keep-alive: between two queries the server may close an idle connection, and a request
// sent on it at that moment fails (a stale connection, not an answer of the interface).
const undici = require('undici');
const dispatcher = new undici.Agent({ pipelining: 0 });

function term(t) {
  if (t.termType === 'Literal') {
    return { type: 'literal', value: t.value, lang: t.language || null,
             datatype: t.datatype ? t.datatype.value : null };
  }
  return { type: t.termType === 'NamedNode' ? 'uri' : 'bnode', value: t.value };
}

async function main() {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const { source, route, queries } = JSON.parse(input);
  const [from, to] = route;
  const requests = [];
  const routedFetch = async (resource, init) => {
    const url = typeof resource === 'string' ? resource : (resource.url ?? String(resource));
    if (!url.startsWith(from)) throw new Error(`refused: a request outside the interface: ${url}`);
    requests.push(url);
    const response = await undici.fetch(to + url.slice(from.length), { ...init, dispatcher });
    // the response is the one of the URL asked for (Comunica reads the page's IRI from it)
    Object.defineProperty(response, 'url', { value: url });
    return response;
  };

  const answers = {};
  for (const { name, text } of queries) {
    try {
      answers[name] = await run(new QueryEngine(), text, source, routedFetch);
    } catch (error) {
      answers[name] = { error: String(error && error.message || error).slice(0, 2000) };
    }
  }
  process.stdout.write(JSON.stringify({ answers, requests }));
  process.exitCode = 0;
}

// a run that ends without writing its answers (a promise never settled) is a failure
process.exitCode = 1;

async function run(engine, text, source, routedFetch) {
    const result = await engine.query(text, {
      sources: [{ type: 'qpf', value: source }], fetch: routedFetch, lenient: false,
    });
    if (result.resultType === 'bindings') {
      const stream = await result.execute();
      const rows = [];
      for (const bindings of await stream.toArray()) {
        const row = {};
        for (const [variable, value] of bindings) row[variable.value] = term(value);
        rows.push(row);
      }
      return { bindings: rows };
    }
    if (result.resultType === 'boolean') return { boolean: await result.execute() };
    const stream = await result.execute();
    return { triples: (await stream.toArray()).map(
      (q) => [term(q.subject), term(q.predicate), term(q.object)]) };
}

main().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(1); });
