// Where is event X: asked of this instance, which asks the others.
import { api } from './api.js';
import { fill, h, message, row, table, time } from './dom.js';
import { failed } from './session.js';

export function render(root, args) {
  const id = args[0] || '';
  const input = h('input', { name: 'eventId', id: 'f-event-id', value: id, autocomplete: 'off', size: 40 });
  const form = h('form', {
    id: 'event-form',
    onsubmit: (e) => {
      e.preventDefault();
      location.hash = '#/event/' + encodeURIComponent(input.value.trim());
    },
  }, h('label', { class: 'field' }, h('span', {}, 'Event id'), input), h('button', { type: 'submit', id: 'find-event' }, 'Find'));
  const out = h('div', { id: 'event-result' });
  fill(root, h('h1', {}, 'Event'), form, out);
  if (!id) return;
  fill(out, h('p', { class: 'muted' }, 'Asking the instances…'));
  api('/events/' + encodeURIComponent(id)).then((s) => {
    fill(out, 
      h('p', {}, 'Status ', h('strong', { id: 'event-status', class: 'status-' + s.status }, s.status)),
      table(['', ''], [
        ['Event id', s.eventId], ['Tier', s.tier], ['Attempts', s.attempts], ['Due', time(s.dueTime)],
        ['Last error', s.lastError], ['Original', s.originalTopic + '-' + s.originalPartition + '@' + s.originalOffset],
        ['First seen', time(s.firstSeenTime)], ['Updated', time(s.updatedTime)], ['Partition', s.partition],
        ['Answered by', s.instance], ['Stage checkpoint', s.checkpoint],
      ].map(([k, v]) => row([k, v === null || v === undefined ? '–' : String(v)])), { class: 'kv', id: 'event-table' }));
  }).catch((e) => {
    if (e.status === 404) {
      fill(out, message('info', 'No instance knows event ' + id + ' (never seen, or done longer ago than idempotency.retention).'));
    } else {
      failed(out, e);
    }
  });
}
