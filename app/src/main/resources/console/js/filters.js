// The filters of `ladder dlt list`, shared by the dead-letters and replay pages.
import { field, h } from './dom.js';

export const NAMES = ['key', 'since', 'until', 'exception', 'httpStatus'];

export function fromParams(params) {
  const f = {};
  for (const n of [...NAMES, 'selection']) {
    f[n] = params.get(n) || '';
  }
  return f;
}

export function fields(values) {
  return h('div', { class: 'filters' },
    field('Key', 'key', values.key),
    field('Since (ISO or 2h, 7d)', 'since', values.since),
    field('Until', 'until', values.until),
    field('Exception contains', 'exception', values.exception),
    field('HTTP status', 'httpStatus', values.httpStatus, { inputmode: 'numeric' }));
}

/** The values of the filter inputs inside a form. */
export function read(form) {
  const f = {};
  for (const n of NAMES) {
    f[n] = form.querySelector('[name="' + n + '"]').value.trim();
  }
  return f;
}

export function hash(page, values) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) {
    if (v) q.set(k, v);
  }
  const s = q.toString();
  return '#/' + page + (s ? '?' + s : '');
}
