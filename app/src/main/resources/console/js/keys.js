// Keys held after their head was dead-lettered (ordering.on-dead-letter: hold): reason, age, release.
import { api } from './api.js';
import { age, fill, h, message, row, table } from './dom.js';
import { failed } from './session.js';

function releasePath(k) {
  return '/keys/' + encodeURIComponent(k.key) + '/release' + (k.keyEncoding === 'base64' ? '?encoding=base64' : '');
}

export function render(root) {
  const out = h('div', { id: 'keys-result' });
  const note = h('div', { id: 'keys-message' });
  fill(root, h('h1', {}, 'Blocked keys'),
    h('p', { class: 'muted' }, 'Keys held on this instance\'s partitions. Releasing one lets its parked events run, in order '
      + '(operator token). Look at its dead head first: Dead letters, filter by key.'),
    note, out);
  async function load() {
    const keys = await api('/keys/blocked');
    const now = Date.now();
    fill(out, keys.length === 0 ? message('info', 'No key is held on this instance.')
      : table(['Key', 'Partition', 'Parked', 'Blocked for', 'Reason', ''], keys.map((k) => {
        const button = h('button', { type: 'button', class: 'danger', 'data-key': k.key }, 'Release');
        button.addEventListener('click', async () => {
          if (button.dataset.confirm !== 'yes') {
            button.dataset.confirm = 'yes';
            button.textContent = 'Confirm release';
            return;
          }
          button.disabled = true;
          try {
            const r = await api(releasePath(k), 'POST');
            fill(note, message('ok', 'Release of ' + r.key + ' requested (' + r.topic + ', partition ' + r.partition + ').'));
            setTimeout(() => load().catch((e) => failed(out, e)), 1000);
          } catch (e) {
            fill(note, message('error', 'Release refused: ' + e.message));
            button.disabled = false;
          }
        });
        return row([k.key, String(k.partition), String(k.parked), k.heldSince ? age(now - Date.parse(k.heldSince)) : '–',
          k.heldReason || '–', button], { 'data-key': k.key });
      }), { id: 'keys-table' }));
  }
  load().catch((e) => failed(root, e));
}
