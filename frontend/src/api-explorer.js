// The API explorer (/api): Swagger UI from swagger-ui-dist, started by this external script
// (swagger-ui-dist's own index.html starts it with an inline script, which CSP forbids).
import SwaggerUIBundle from 'swagger-ui-dist/swagger-ui-bundle.js';

const root = document.getElementById('swagger-ui');
SwaggerUIBundle({
  url: root.dataset.openapi, // our own OpenAPI document, without `servers` (= this origin;
  // a `servers` list renders a <select> without a label: axe select-name, critical)
  domNode: root,
  deepLinking: false, // its anchors sit inside the summary button (axe: nested-interactive)
  validatorUrl: null, // no badge from validator.swagger.io
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout', // no top bar with a URL box (which could load other sites' documents)
  tryItOutEnabled: true,
  displayRequestDuration: true,
  defaultModelsExpandDepth: 0,
  queryConfigEnabled: false, // ?url= / ?configUrl= in the page address must not load other documents
  withCredentials: false,
  // its highlighting themes colour numbers below WCAG AA contrast (agate: #d36363 on #333,
  // axe color-contrast); plain bodies also render large answers faster
  syntaxHighlight: { activated: false },
});

// Accessibility gaps of Swagger UI 5 that axe reports as serious or critical, mended with
// attributes only (CSP-safe): parameter <select>s without a name (select-name), scrollable
// response bodies that the keyboard cannot reach (scrollable-region-focusable).
function mend(node) {
  for (const select of node.querySelectorAll('.parameters-col_description select:not([aria-label])')) {
    const row = select.closest('tr');
    const name = row && row.querySelector('.parameter__name');
    if (name) select.setAttribute('aria-label', name.textContent.replace(/\*$/, '').trim());
  }
  for (const pre of node.querySelectorAll('.microlight:not([tabindex]), .highlight-code pre:not([tabindex])')) {
    pre.setAttribute('tabindex', '0');
  }
}
new MutationObserver(() => mend(root)).observe(root, { childList: true, subtree: true });
