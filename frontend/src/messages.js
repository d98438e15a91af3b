// The editor's interface texts: the server's message catalogue (web/messages.toml, section
// [editor]) in the page's language, handed over in the page's JSON data block (workbench-config).
// `{name}` is filled in from `values`; a counted text ({one, other}) is chosen by `values.n`,
// which is written with the page language's digit grouping.

export function translator(messages, lang) {
  const numbers = new Intl.NumberFormat(lang);
  return (key, values = {}) => {
    let text = messages[key];
    if (text === undefined) return key; // a missing text shows its key (the tests check none is)
    if (typeof text === 'object') text = text[values.n === 1 ? 'one' : 'other'];
    return text.replace(/\{(\w+)\}/g, (whole, name) => {
      if (!(name in values)) return whole;
      return typeof values[name] === 'number' ? numbers.format(values[name]) : String(values[name]);
    });
  };
}
