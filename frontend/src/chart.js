// A bar chart for "label + number" results, as SVG built with presentation attributes
// (width/height/x/y are attributes, not style=, so CSP style-src 'self' allows them).
import { isNumeric } from './results.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text != null) e.textContent = text;
  return e;
}

/** The (label variable, number variable) to chart, or null when the results have none. */
export function chartable(json) {
  const rows = json.results.bindings;
  if (!rows.length) return null;
  const vars = json.head.vars;
  const number = vars.find((v) => rows.every((r) => isNumeric(r[v])));
  if (!number) return null;
  const label = vars.find((v) => v !== number) || number;
  return { label, number };
}

export function renderChart(container, json, labels = new Map(), { t, maxBars = 40 } = {}) {
  const which = chartable(json);
  if (!which) {
    container.replaceChildren(t('no_numbers'));
    return false;
  }
  const rows = json.results.bindings.slice(0, maxBars);
  const values = rows.map((r) => Number(r[which.number].value));
  const max = Math.max(...values, 0) || 1;
  const barHeight = 22; const labelWidth = 260; const width = 720;
  const height = rows.length * barHeight + 10;
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
    class: 'chart', 'aria-labelledby': 'chart-title' });
  chart.append(svg('title', { id: 'chart-title' }, `?${which.number} per ?${which.label}`));
  rows.forEach((r, i) => {
    const cell = r[which.label];
    const text = cell ? (labels.get(cell.value)?.value || cell.value) : '';
    const y = i * barHeight + 5;
    const w = Math.max(1, ((width - labelWidth - 60) * values[i]) / max);
    chart.append(
      svg('text', { x: labelWidth - 6, y: y + 15, 'text-anchor': 'end', class: 'chart-label' },
        text.length > 40 ? `${text.slice(0, 39)}…` : text),
      svg('rect', { x: labelWidth, y, width: w, height: barHeight - 6, class: 'chart-bar' }),
      svg('text', { x: labelWidth + w + 4, y: y + 15, class: 'chart-value' }, values[i]),
    );
  });
  container.replaceChildren(chart);
  return true;
}
