// Entry point of the query page (/sparql): enhances the plain form (which keeps working without
// JavaScript) into the workbench. Everything it loads comes from this origin.
import { createEditor } from './sparql-editor.js';
import { renderTable, el } from './results.js';
import { renderChart } from './chart.js';
import { snippets } from './snippets.js';
import { translator } from './messages.js';

const config = JSON.parse(document.getElementById('workbench-config').textContent);
const lang = config.lang || document.documentElement.lang || 'nl';
const t = translator(config.messages || {}, lang);
const form = document.getElementById('query-form');
const formatSelect = document.getElementById('format');
const out = document.getElementById('workbench');
const message = document.getElementById('workbench-message');
const endpointUrl = new URL(config.endpoint, window.location.href).href;
document.getElementById('editor-help').hidden = false;

const editor = createEditor(document.getElementById('query'), {
  termsUrl: config.termsUrl,
  checkUrl: config.checkUrl,
  prefixes: config.prefixes,
  lang,
  label: t('label'),
  onRun: () => run(),
  stylesheet: config.stylesheet,
});

// examples from the query catalogue
const examples = document.getElementById('examples');
if (examples) {
  examples.hidden = false;
  examples.querySelector('select').addEventListener('change', (e) => {
    const chosen = config.examples.find((x) => x.name === e.target.value);
    if (chosen) { editor.setText(chosen.query); editor.view.focus(); }
  });
}

form.addEventListener('submit', (event) => {
  if (formatSelect.value !== 'html') return; // a download: the plain form does it
  event.preventDefault();
  run();
});

async function labelsFor(json) {
  const iris = new Set();
  for (const row of json.results.bindings) {
    for (const cell of Object.values(row)) if (cell.type === 'uri') iris.add(cell.value);
  }
  if (!iris.size) return new Map();
  const response = await fetch(config.labelsUrl, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ iris: [...iris].slice(0, 500), lang }),
  });
  if (!response.ok) return new Map();
  return new Map(Object.entries((await response.json()).labels));
}

function say(text, kind = 'status') {
  message.className = kind;
  message.textContent = text;
}

async function run() {
  const query = editor.text();
  say(t('running'));
  out.hidden = true;
  const serverResult = document.getElementById('server-result'); // the page's own (no-JS) result
  if (serverResult) serverResult.hidden = true;
  let response;
  try {
    response = await fetch(config.endpoint, {
      method: 'POST',
      headers: { Accept: 'application/sparql-results+json, text/turtle;q=0.9' },
      body: new URLSearchParams({ query }),
    });
  } catch (e) {
    say(t('no_answer', { error: e.message }), 'error');
    return;
  }
  if (!response.ok) {
    const text = await response.text();
    const diagnostic = editor.showServerError(text);
    if (diagnostic) {
      const [, line, column] = text.match(/error at (\d+):(\d+)/);
      say(t('syntax_error', { line, column, message: diagnostic.message }), 'error');
    } else {
      say(text.split('\n')[0], 'error');
    }
    return;
  }
  // the permalink: the query, and the language when the visitor chose it with ?lang=
  const address = new URLSearchParams({ query });
  if (config.keptLang) address.set('lang', config.keptLang);
  history.replaceState(null, '', `${config.endpoint}?${address}`);
  const type = response.headers.get('Content-Type') || '';
  const truncated = response.headers.get('X-SPARQL-Truncated') === 'true';
  const tableBox = document.getElementById('result-table');
  const chartBox = document.getElementById('result-chart');
  if (type.startsWith('application/sparql-results+json')) {
    const json = await response.json();
    if ('boolean' in json) {
      tableBox.replaceChildren(el('p', { class: 'boolean' }, json.boolean ? t('true') : t('false')));
      chartBox.replaceChildren();
    } else {
      const labels = await labelsFor(json);
      renderTable(tableBox, json, { base: config.base, labels, t, lang });
      renderChart(chartBox, json, labels, { t });
    }
    const count = t('results', { n: json.results ? json.results.bindings.length : 1 });
    say(truncated ? `${count} — ${t('cut')}` : count);
  } else {
    tableBox.replaceChildren(el('pre', { class: 'graph' }, await response.text()));
    chartBox.replaceChildren();
    say(t('graph'));
  }
  showDownloads(query, type.startsWith('application/sparql-results+json') ? 'solutions' : 'graph');
  showSnippets(query);
  document.getElementById('permalink').value = window.location.href;
  out.hidden = false;
}

function showDownloads(query, kind) {
  const list = document.getElementById('downloads');
  list.replaceChildren(...config.formats[kind].map((f) => el('li', {}, el('a', {
    href: `${config.endpoint}?${new URLSearchParams({ query, format: f.name })}`, download: '',
  }, f.label))));
}

function showSnippets(query) {
  const code = snippets(endpointUrl, query);
  for (const [name, text] of Object.entries(code)) {
    document.getElementById(`snippet-${name}`).textContent = text;
  }
}

document.getElementById('shortlink-button').addEventListener('click', async () => {
  const response = await fetch(config.linksUrl, {
    method: 'POST', headers: { 'Content-Type': 'application/sparql-query', Accept: 'application/json' },
    body: editor.text(),
  });
  if (response.ok) {
    const short = new URL((await response.json()).url, window.location.href);
    if (config.keptLang) short.searchParams.set('lang', config.keptLang);
    document.getElementById('permalink').value = short.href;
  }
});

window.workbench = { editor, run }; // for the browser tests
