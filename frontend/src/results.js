// Results of a SELECT as a sortable, paged table: IRIs link to their entity pages, labels
// beside them. DOM built with createElement/textContent only (no innerHTML, no style=).
const NUMERIC = /#(integer|decimal|double|float|long|int|short|byte|nonNegativeInteger|positiveInteger|unsignedInt)$/;

export const isNumeric = (cell) => !!cell && cell.type === 'literal' && NUMERIC.test(cell.datatype || '');

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k === 'class') e.className = v; else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) e.append(c);
  return e;
}

/** Where an IRI is shown: our own IRIs open on this origin (the /id/ redirect). */
export function hrefFor(iri, base) {
  if (base && iri.startsWith(`${base}/`)) return iri.slice(base.length);
  return /^https?:/.test(iri) ? iri : null;
}

function cellContent(cell, { base, labels }) {
  if (!cell) return '';
  if (cell.type === 'uri') {
    const href = hrefFor(cell.value, base);
    const frag = document.createDocumentFragment();
    frag.append(href ? el('a', { href }, cell.value) : cell.value);
    const label = labels.get(cell.value);
    if (label) frag.append(' ', el('span', { class: 'label', lang: label.lang || false }, label.value));
    return frag;
  }
  if (cell.type === 'bnode') return `_:${cell.value}`;
  const frag = document.createDocumentFragment();
  frag.append(el('span', { lang: cell['xml:lang'] || false }, cell.value));
  if (cell['xml:lang']) frag.append(' ', el('span', { class: 'tag' }, `@${cell['xml:lang']}`));
  else if (cell.datatype && !/#string$/.test(cell.datatype)) {
    frag.append(' ', el('span', { class: 'tag' }, cell.datatype.replace(/^.*[#/]/, 'xsd:')));
  }
  return frag;
}

function compare(a, b, numeric, lang) {
  if (!a) return b ? 1 : 0;
  if (!b) return -1;
  if (numeric) return Number(a.value) - Number(b.value);
  return a.value.localeCompare(b.value, lang, { numeric: true, sensitivity: 'base' });
}

/** Render `json` (SPARQL 1.1 Query Results JSON) into `container`; `t` gives the texts in the
 * page's language `lang` (messages.js). */
export function renderTable(container, json, { base, labels = new Map(), pageSize = 25, t, lang = 'nl' }) {
  const vars = json.head.vars;
  const rows = json.results.bindings.slice();
  const state = { sortBy: null, descending: false, page: 0 };
  const status = el('p', { class: 'pager-status', role: 'status' });
  const table = el('table', { class: 'results' });
  const caption = el('caption');
  const tbody = el('tbody');
  const headerCells = vars.map((v, i) => {
    const button = el('button', { type: 'button', class: 'sort' }, `?${v}`);
    button.addEventListener('click', () => {
      state.descending = state.sortBy === i ? !state.descending : false;
      state.sortBy = i;
      state.page = 0;
      const numeric = rows.every((r) => !r[v] || isNumeric(r[v]));
      rows.sort((a, b) => compare(a[v], b[v], numeric, lang) * (state.descending ? -1 : 1));
      draw();
    });
    return el('th', { scope: 'col' }, button);
  });
  table.append(caption, el('thead', {}, el('tr', {}, ...headerCells)), tbody);
  const prev = el('button', { type: 'button' }, t('previous'));
  const next = el('button', { type: 'button' }, t('next'));
  prev.addEventListener('click', () => { state.page -= 1; draw(); });
  next.addEventListener('click', () => { state.page += 1; draw(); });
  const pager = el('nav', { class: 'pager', 'aria-label': t('result_pages') },
    prev, ' ', status, ' ', next);

  function draw() {
    const pages = Math.max(1, Math.ceil(rows.length / pageSize));
    state.page = Math.min(Math.max(0, state.page), pages - 1);
    headerCells.forEach((th, i) => {
      if (state.sortBy === i) th.setAttribute('aria-sort', state.descending ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    });
    caption.textContent = t('rows', { n: rows.length });
    tbody.replaceChildren(...rows.slice(state.page * pageSize, (state.page + 1) * pageSize)
      .map((r) => el('tr', {}, ...vars.map((v) => el('td', {}, cellContent(r[v], { base, labels }))))));
    status.textContent = t('page', { page: state.page + 1, pages });
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
  }
  draw();
  container.replaceChildren(el('div', { class: 'scroll', tabindex: '0', role: 'region',
    'aria-label': t('results_table') }, table), pager);
  return { redraw: draw };
}

export { el };
