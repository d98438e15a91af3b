// Suggestions for the search box every page carries (the ARIA 1.2 combobox pattern): while
// someone types, /zoeken/suggesties answers with names (this origin only); arrow keys move
// through them, Enter opens one, Escape closes the list. Without this script the box is a
// plain form that opens /zoeken.
const DELAY_MS = 150;
const MIN_LENGTH = 2;

function setUp(form) {
  const input = form.querySelector('input[type="search"]');
  const status = form.querySelector('[role="status"]');
  if (!input || !status) return;
  const list = document.createElement('ul');
  list.id = `${input.id}-suggesties`;
  list.className = 'suggestions';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', form.dataset.suggestLabel || '');
  list.hidden = true;
  form.append(list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', list.id);
  input.setAttribute('autocomplete', 'off');

  const lang = document.documentElement.lang || 'nl';
  let timer = 0;
  let pending = null;
  let active = -1;

  const options = () => Array.from(list.querySelectorAll('[role="option"]'));

  function close() {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function choose(index) {
    const all = options();
    all.forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    active = index;
    if (index >= 0) input.setAttribute('aria-activedescendant', all[index].id);
    else input.removeAttribute('aria-activedescendant');
  }

  function show(suggestions) {
    list.replaceChildren();
    suggestions.forEach((suggestion, i) => {
      const item = document.createElement('li');
      item.id = `${list.id}-${i}`;
      item.setAttribute('role', 'option');
      item.setAttribute('aria-selected', 'false');
      item.dataset.href = suggestion.href;
      const name = document.createElement('span');
      name.textContent = suggestion.label;
      item.append(name);
      const about = [suggestion.kind, suggestion.municipality].filter(Boolean).join(' · ');
      if (about) {
        const small = document.createElement('span');
        small.className = 'small';
        small.textContent = ` ${about}`;
        item.append(small);
      }
      item.addEventListener('mousedown', (event) => event.preventDefault());
      item.addEventListener('click', () => { window.location.href = suggestion.href; });
      list.append(item);
    });
    const count = suggestions.length;
    status.textContent = (count === 1 ? form.dataset.suggestOne : form.dataset.suggestMany || '')
      .replace('{count}', String(count));
    list.hidden = count === 0;
    input.setAttribute('aria-expanded', String(count > 0));
    active = -1;
  }

  async function fetchSuggestions(text) {
    if (pending) pending.abort();
    pending = new AbortController();
    const url = `${form.dataset.suggestUrl}?q=${encodeURIComponent(text)}&lang=${encodeURIComponent(lang)}`;
    try {
      const answer = await fetch(url, { signal: pending.signal, headers: { Accept: 'application/json' } });
      if (!answer.ok) { close(); return; }
      const body = await answer.json();
      if (input.value.trim() === text) show(body.suggestions || []);
    } catch (error) {
      if (error.name !== 'AbortError') close();
    }
  }

  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < MIN_LENGTH) { close(); return; }
    timer = window.setTimeout(() => fetchSuggestions(text), DELAY_MS);
  });
  input.addEventListener('keydown', (event) => {
    const all = options();
    if (event.key === 'ArrowDown' && all.length) {
      event.preventDefault();
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
      choose((active + 1) % all.length);
    } else if (event.key === 'ArrowUp' && all.length) {
      event.preventDefault();
      choose(active <= 0 ? all.length - 1 : active - 1);
    } else if (event.key === 'Enter' && active >= 0 && !list.hidden) {
      event.preventDefault();
      window.location.href = all[active].dataset.href;
    } else if (event.key === 'Escape' && !list.hidden) {
      event.preventDefault(); // the open list closes; the text stays (a second Escape clears it)
      close();
    }
  });
  input.addEventListener('blur', () => window.setTimeout(close, 100));
}

document.querySelectorAll('form[data-suggest-url]').forEach(setUp);
