// The dead-letter topic: a filtered, paged table, and one dead letter in full.
import { api, query } from './api.js';
import { fill, h, message, row, table, time } from './dom.js';
import * as filters from './filters.js';
import { failed } from './session.js';

const SIZE = 20;

async function list(root, params) {
  const values = filters.fromParams(params);
  const page = Number(params.get('page') || 0);
  const chosen = new Set();
  const form = h('form', {
    id: 'dlt-filters',
    onsubmit: (e) => {
      e.preventDefault();
      location.hash = filters.hash('dead-letters', filters.read(form));
    },
  }, filters.fields(values), h('button', { type: 'submit', id: 'apply-filters' }, 'Apply'));
  fill(root, h('h1', {}, 'Dead letters'), form, h('p', { class: 'muted' }, 'Reading the topic…'));
  const data = await api('/api/dead-letters' + query({ ...values, selection: '', page, size: SIZE }));
  const replayChosen = h('button', {
    type: 'button',
    id: 'replay-selected',
    disabled: true,
    onclick: () => {
      location.hash = filters.hash('replay', { selection: [...chosen].join(',') });
    },
  }, 'Replay selected…');
  const rows = data.items.map((d) => row([
    h('input', {
      type: 'checkbox',
      'aria-label': 'select ' + d.ref,
      'data-ref': d.ref,
      onchange: (e) => {
        if (e.target.checked) chosen.add(d.ref); else chosen.delete(d.ref);
        replayChosen.disabled = chosen.size === 0;
        replayChosen.textContent = chosen.size ? 'Replay ' + chosen.size + ' selected…' : 'Replay selected…';
      },
    }),
    h('a', { href: '#/dead-letters/' + d.partition + '/' + d.offset }, d.ref),
    d.key === null ? '–' : d.key,
    d.eventId || '–',
    time(d.deadLetterTime),
    d.attempts === null ? '–' : String(d.attempts),
    d.exception || d.reason || '–',
    d.httpStatus === null ? '–' : String(d.httpStatus),
  ], { 'data-ref': d.ref }));
  const nav = h('div', { class: 'pager' },
    h('a', { href: filters.hash('dead-letters', { ...values, page: page > 0 ? String(page - 1) : '' }), class: page > 0 ? '' : 'disabled', id: 'prev-page' }, '← Newer pages'),
    h('span', {}, ' page ' + (page + 1) + ' '),
    h('a', { href: filters.hash('dead-letters', { ...values, page: String(page + 1) }), class: data.more ? '' : 'disabled', id: 'next-page' }, 'More →'));
  fill(root, 
    h('h1', {}, 'Dead letters ', h('span', { class: 'muted' }, data.topic)),
    form,
    data.items.length === 0
      ? message('info', 'No dead letter matches.')
      : table(['', 'At', 'Key', 'Event id', 'Dead-lettered', 'Attempts', 'Exception / reason', 'HTTP'], rows, { id: 'dlt-table' }),
    h('div', { class: 'actions' }, nav, replayChosen,
      h('a', { href: filters.hash('replay', values), id: 'replay-filter', class: 'button' }, 'Replay by these filters…')));
}

function kv(pairs) {
  return table(['', ''], pairs.map(([k, v]) => row([k, v === null || v === undefined ? '–' : String(v)])), { class: 'kv' });
}

async function one(root, partition, offset) {
  const d = await api('/api/dead-letters/' + partition + '/' + offset);
  const pre = h('pre', { id: 'dlt-value' }, d.valueText !== null ? d.valueText : d.valueHex);
  let showing = d.valueText !== null ? 'text' : 'hex';
  const toggle = h('button', {
    type: 'button',
    id: 'value-toggle',
    onclick: () => {
      showing = showing === 'text' ? 'hex' : 'text';
      pre.textContent = showing === 'text' ? (d.valueText !== null ? d.valueText : '(not UTF-8 text)') : d.valueHex;
      toggle.textContent = showing === 'text' ? 'Show hex' : 'Show text';
    },
  }, showing === 'text' ? 'Show hex' : 'Show text');
  fill(root, 
    h('p', {}, h('a', { href: '#/dead-letters' }, '← Dead letters')),
    h('h1', {}, 'Dead letter ', h('span', { id: 'dlt-ref' }, d.ref)),
    kv([['Key', d.key], ['Event id', d.eventId], ['Format', d.format], ['Original', d.originalTopic + '-' + d.originalPartition + '@' + d.originalOffset],
      ['Attempts', d.attempts], ['Dead-lettered', time(d.deadLetterTime)], ['Time in retry', d.timeInRetry],
      ['Reason', d.reason], ['Exception', d.exception], ['HTTP status', d.httpStatus], ['Not an event', d.internal]]),
    h('p', {}, h('a', { href: filters.hash('replay', { selection: d.ref }), class: 'button', id: 'replay-this' }, 'Replay this one…')),
    h('h2', {}, 'Error history'),
    d.errorsElided ? h('p', { class: 'muted' }, d.errorsElided + ' attempts in the middle left out') : null,
    table(['Time', 'Tier', 'Attempt', 'Kind', 'Exception', 'HTTP', 'Message', 'Stack trace'],
      (d.errors || []).map((e) => row([time(e.time), String(e.tier), String(e.attempt), e.kind || '–', e.exception || '–',
        e.httpStatus === null ? '–' : String(e.httpStatus), e.message || '–',
        e.stackTrace ? h('details', {}, h('summary', {}, 'show'), h('pre', {}, e.stackTrace)) : '–'])), { id: 'dlt-errors' }),
    h('h2', {}, 'Headers'),
    kv(Object.entries(d.headers || {})),
    h('h2', {}, 'Value ', h('span', { class: 'muted' }, (d.valueBytes === null ? 'null' : d.valueBytes + ' bytes')), ' ', toggle),
    pre);
}

export function render(root, args, params) {
  const work = args.length === 2 ? one(root, args[0], args[1]) : list(root, params);
  work.catch((e) => failed(root, e));
}
