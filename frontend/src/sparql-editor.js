// The SPARQL editor: CodeMirror 6 + codemirror-lang-sparql (Lezer grammar: highlighting,
// brackets, folding), lint by the server's own parser (POST /sparql/check),
// completion of prefixes, classes, properties and entities from our own endpoint.
import { EditorView, basicSetup } from 'codemirror';
import { keymap } from '@codemirror/view';
import { EditorState, Prec } from '@codemirror/state';
import { autocompletion } from '@codemirror/autocomplete';
import { linter, setDiagnostics, lintGutter } from '@codemirror/lint';
import { sparql } from 'codemirror-lang-sparql';
import { HighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';

/** Diagnostics from the server's own parser (POST checkUrl: {"errors": [{"message"}]}),
 * "error at LINE:COLUMN" as pyoxigraph words it: the same grammar that runs the query
 * (a SPARQL 1.1 parser in the browser would reject e.g. LATERAL, which Oxigraph accepts). */
export async function serverDiagnostics(checkUrl, text) {
  const response = await fetch(checkUrl, { method: 'POST', body: text,
    headers: { 'Content-Type': 'application/sparql-query', Accept: 'application/json' } });
  if (!response.ok) return [];
  const { errors } = await response.json();
  // a refusal without a position (SERVICE, an update) marks the first character
  return errors.map((e) => serverDiagnostic(text, e.message) || { from: 0,
    to: Math.min(1, text.length), severity: 'error', message: e.message, source: 'server' });
}

/** The server's syntax error ("error at LINE:COLUMN: ...", pyoxigraph) as a diagnostic. */
export function serverDiagnostic(text, message) {
  const m = /error at (\d+):(\d+)/.exec(message);
  if (!m) return null;
  // pyoxigraph: 1-based line and column in code points (not UTF-16 units), the furthest place
  // its PEG parser reached: at or just after the offending token
  const from = Math.min(text.length, offsetOf(text, Number(m[1]),
    codePointsToUnits(text.split('\n')[Number(m[1]) - 1] || '', Number(m[2]) - 1)));
  const lineStart = offsetOf(text, Number(m[1]), 0);
  const lineEnd = lineStart + (text.split('\n')[Number(m[1]) - 1] || '').length;
  const at = Math.max(lineStart, Math.min(from, lineEnd - 1)); // on a character of that line
  const firstLine = message.replace(/^.*?SPARQL syntax error: /s, '').split('\n')[0];
  return { from: at, to: Math.min(lineEnd, at + 1), severity: 'error', message: firstLine,
    source: 'server' };
}

function codePointsToUnits(line, points) {
  let units = 0;
  for (const ch of line) { if (points <= 0) break; units += ch.length; points -= 1; }
  return units;
}

function offsetOf(text, line, column) {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i += 1) offset += lines[i].length + 1;
  return offset + column;
}

// ---- completion ---------------------------------------------------------------------------

const TOKEN = /<[^>\s]*>?|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|[?$][\w\u00C0-\uFFFF]+|[A-Za-z_\u00C0-\uFFFF][\w.\-\u00C0-\uFFFF]*:[\w.\-%\u00C0-\uFFFF]*|[A-Za-z_\u00C0-\uFFFF][\w\-\u00C0-\uFFFF]*|#[^\n]*|[{}.;,()[\]]|\S/g;

/** Which kind of term fits at the end of `before` (the query text before the cursor):
 * 'class' after `a` / rdf:type, 'property' in predicate position, else 'entity'. */
export function positionKind(before) {
  const tokens = (before.match(TOKEN) || []).filter((t) => !t.startsWith('#'));
  tokens.pop(); // the word being typed
  const last = tokens[tokens.length - 1];
  if (last === 'a' || last === 'rdf:type') return 'class';
  if (last === ';') return 'property';
  let terms = 0;
  for (let i = tokens.length - 1; i >= 0; i -= 1) {
    const t = tokens[i];
    if (t === '{' || t === '.' || t === '}') break;
    if (t === ',') return 'entity';
    if (/^[()[\]]$/.test(t)) return 'entity';
    terms += 1;
  }
  return terms === 1 ? 'property' : 'entity';
}

function declaredPrefixes(text) {
  const out = {};
  for (const m of text.matchAll(/PREFIX\s+([\w.\-\u00C0-\uFFFF]*):\s*<([^>]*)>/gi)) out[m[1]] = m[2];
  return out;
}

/** A completion source fed by `termsUrl` (our own JSON endpoint) and the known `prefixes`. */
export function termCompletions({ termsUrl, prefixes, lang }) {
  const cache = new Map();
  async function lookup(kind, q) {
    const key = `${kind}\u0000${q}`;
    if (!cache.has(key)) {
      const url = `${termsUrl}?${new URLSearchParams({ kind, q, lang, limit: '30' })}`;
      cache.set(key, fetch(url, { headers: { Accept: 'application/json' } })
        .then((r) => (r.ok ? r.json() : { terms: [] })).then((j) => j.terms)
        .catch(() => []));
    }
    return cache.get(key);
  }

  return async (context) => {
    const word = context.matchBefore(/[\w.\-:\u00C0-\uFFFF]*$/);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const text = context.state.doc.toString();
    const before = text.slice(0, word.to);
    if (/^\s*PREFIX\s+[\w\-]*$/i.test(before.split('\n').pop())) {
      // after PREFIX: offer our prefixes with their namespace
      return {
        from: word.from,
        options: Object.entries(prefixes).map(([p, ns]) => ({
          label: `${p}:`, detail: ns, type: 'namespace', apply: `${p}: <${ns}>`,
        })),
      };
    }
    if (/^[?$]/.test(text.slice(word.from - 1, word.from))) return null; // a variable
    const kind = positionKind(before);
    const typed = text.slice(word.from, word.to);
    const colon = typed.indexOf(':');
    const q = colon >= 0 ? typed.slice(colon + 1) : typed;
    if (!context.explicit && q.length < 2 && colon < 0) return null;
    const terms = await lookup(kind, q);
    if (context.aborted) return null;
    const declared = declaredPrefixes(text);
    return {
      from: word.from,
      filter: false, // the server matched labels and local names (accent-insensitive)
      options: terms.map((t) => ({
        label: t.prefixed || `<${t.iri}>`,
        displayLabel: t.label ? `${t.label}` : (t.prefixed || t.iri),
        detail: t.prefixed || t.iri,
        info: t.iri,
        type: t.kind === 'class' ? 'class' : t.kind === 'property' ? 'property' : 'variable',
        apply: (view, completion, from, to) => insertTerm(view, t, from, to, declared, prefixes),
      })),
    };
  };
}

function insertTerm(view, term, from, to, declared, prefixes) {
  const changes = [];
  let text = `<${term.iri}>`;
  if (term.prefixed) {
    const p = term.prefixed.slice(0, term.prefixed.indexOf(':'));
    if (declared[p] === prefixes[p]) text = term.prefixed;
    else if (!(p in declared) && prefixes[p]) {
      text = term.prefixed; // declare the prefix at the top, as YASQE does
      changes.push({ from: 0, insert: `PREFIX ${p}: <${prefixes[p]}>\n` });
    }
  }
  changes.push({ from, to, insert: text });
  view.dispatch({ changes, selection: { anchor: from + text.length + (changes.length > 1
    ? changes[0].insert.length : 0) } });
}

// Colours with at least 4.5:1 contrast on white and on the active-line background
// (CodeMirror's default highlight style fails axe's color-contrast rule).
const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: '#6f1d91', fontWeight: 'bold' },
  { tag: [tags.url, tags.string], color: '#0a5c2a' },
  { tag: tags.variableName, color: '#0b4f8a' },
  { tag: [tags.integer, tags.float, tags.bool], color: '#7a3e00' },
  { tag: [tags.namespace, tags.typeName, tags.annotation], color: '#8a1538' },
  { tag: tags.comment, color: '#4d4d4d', fontStyle: 'italic' },
]);

// ---- the editor -------------------------------------------------------------------------

/** Replace `textarea` with an editor; the textarea stays in the form (hidden) and is kept in
 * sync, so submitting the form still works. `onRun` is called on Ctrl/Cmd-Enter.
 *
 * The editor lives in a shadow root: CodeMirror's style-mod then installs its styles as
 * constructable stylesheets (adoptedStyleSheets, not governed by CSP) instead of a <style>
 * element, which `style-src 'self'` blocks. Our own stylesheet (`stylesheet`, same origin) is
 * linked inside the shadow root. No nonce, no 'unsafe-inline'. */
export function createEditor(textarea, { termsUrl, checkUrl, prefixes, lang, onRun, label, stylesheet }) {
  const host = document.createElement('div');
  host.className = 'editor-host';
  textarea.after(host);
  const root = host.attachShadow({ mode: 'open' });
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = stylesheet;
  root.append(link);
  const view = new EditorView({
    root,
    parent: root,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        basicSetup,
        sparql(),
        syntaxHighlighting(highlight),
        lintGutter(),
        // as you type: the server's own parser (the grammar that runs the query)
        linter((v) => serverDiagnostics(checkUrl, v.state.doc.toString()), { delay: 500 }),
        autocompletion({ override: [termCompletions({ termsUrl, prefixes, lang })],
          activateOnTyping: true, maxRenderedOptions: 30 }),
        Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => { onRun(); return true; } }])),
        EditorView.contentAttributes.of({ 'aria-label': label, 'aria-describedby': 'editor-help' }),
        EditorView.updateListener.of((u) => { if (u.docChanged) textarea.value = u.state.doc.toString(); }),
        EditorView.lineWrapping,
      ],
    }),
  });
  textarea.hidden = true;
  return {
    view,
    text: () => view.state.doc.toString(),
    setText: (t) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: t } }),
    showServerError(message) {
      const d = serverDiagnostic(view.state.doc.toString(), message);
      if (d) view.dispatch(setDiagnostics(view.state, [d]));
      return d;
    },
  };
}
