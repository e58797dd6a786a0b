// Building elements from data. Text always goes in as text (textContent), never as HTML: dead
// letters, keys and error messages come from outside and must not become markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k.startsWith('on')) {
      el.addEventListener(k.substring(2), v);
    } else if (k === 'class') {
      el.className = v;
    } else if (k === 'value') {
      el.value = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) {
      continue;
    }
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** A table from column headers and rows of cells. */
export function table(headers, rows, attrs = {}) {
  return h('table', attrs,
    h('thead', {}, h('tr', {}, headers.map((t) => h('th', {}, t)))),
    h('tbody', {}, rows));
}

export function row(cells, attrs = {}) {
  return h('tr', attrs, cells.map((c) => h('td', {}, c)));
}

/** A labelled text input. */
export function field(label, name, value, attrs = {}) {
  return h('label', { class: 'field' }, h('span', {}, label),
    h('input', { name, id: 'f-' + name, value: value || '', autocomplete: 'off', ...attrs }));
}

export function message(kind, text) {
  return h('p', { class: 'msg ' + kind, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** "3m 12s" for a number of milliseconds. */
export function age(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) {
    return '–';
  }
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm ' + (s % 60) + 's';
  if (s < 86400) return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
  return Math.floor(s / 86400) + 'd ' + Math.floor((s % 86400) / 3600) + 'h';
}

export function time(iso) {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '–';
}

/** Replaces the element's content, leaving out the parts that are absent (null, undefined, false). */
export function fill(el, ...children) {
  el.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
}
