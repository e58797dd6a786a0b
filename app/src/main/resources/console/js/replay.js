// Replay: choose by filter or selection, dry run first (count and sample), then replay at a rate.
import { api, query } from './api.js';
import { field, fill, h, message, row, table } from './dom.js';
import * as filters from './filters.js';
import { failed } from './session.js';

export function render(root, args, params) {
  const values = filters.fromParams(params);
  const out = h('div', { id: 'replay-result' });
  const rate = h('input', { name: 'rate', id: 'f-rate', value: '50', inputmode: 'numeric', size: 6 });
  let planned = null; // the parameters of the last dry run: a replay sends exactly those
  let plannedCount = 0;
  let timer = null;

  const form = h('form', {
    id: 'replay-form',
    onsubmit: (e) => {
      e.preventDefault();
      dryRun();
    },
  },
  filters.fields(values),
  field('Selection (partition@offset, comma separated)', 'selection', values.selection),
  h('label', { class: 'field' }, h('span', {}, 'All dead letters'), h('input', { type: 'checkbox', name: 'all', id: 'f-all' })),
  h('button', { type: 'submit', id: 'dry-run' }, 'Dry run'));

  function chosen() {
    const f = filters.read(form);
    f.selection = form.querySelector('[name="selection"]').value.trim();
    f.all = form.querySelector('[name="all"]').checked ? 'true' : '';
    return f;
  }

  async function dryRun() {
    planned = null;
    fill(out, h('p', { class: 'muted' }, 'Reading the dead-letter topic…'));
    try {
      const p = chosen();
      const r = await api('/api/replay/preview' + query(p));
      planned = p;
      plannedCount = r.wouldReplay;
      const go = h('button', { type: 'button', id: 'start-replay', disabled: r.wouldReplay === 0, onclick: () => start() },
        'Replay ' + r.wouldReplay + ' dead letters');
      fill(out, 
        h('h2', {}, 'Dry run'),
        h('p', { id: 'dry-run-count' }, r.wouldReplay + ' dead letters would be sent to ' + r.to
          + (r.notEvents ? '; ' + r.notEvents + ' of Ladder\'s own records would not' : '') + ' (' + r.selection + ').'),
        r.warning ? message('error', r.warning) : null,
        r.sample.length === 0 ? null : table(['Dead letter', 'Key', 'Partition', 'Replay id'],
          r.sample.map((s) => row([s.dlt, s.key === null ? '–' : s.key, String(s.partition), s.replayId])), { id: 'dry-run-sample' }),
        r.wouldReplay > r.sample.length ? h('p', { class: 'muted' }, 'First ' + r.sample.length + ' shown.') : null,
        h('div', { class: 'actions' }, h('label', {}, 'At most ', rate, ' records/s '), go));
    } catch (e) {
      if (e.status === 401) failed(root, e); else fill(out, message('error', e.message));
    }
  }

  async function start() {
    try {
      const job = await api('/api/replay' + query({ ...planned, rate: rate.value }), 'POST');
      planned = null;
      follow(job.id);
    } catch (e) {
      out.append(message('error', 'Replay refused: ' + e.message));
    }
  }

  function follow(id) {
    const bar = h('progress', { id: 'replay-progress', max: 1, value: 0 });
    const status = h('p', { id: 'replay-status' }, 'Starting…');
    // the dry run stays above: what was asked for, next to how far it got
    for (const b of out.querySelectorAll('#start-replay, #f-rate')) b.disabled = true;
    out.append(h('h2', {}, 'Replay ', h('span', { class: 'muted' }, id)), bar, status);
    const total = plannedCount;
    async function poll() {
      try {
        const j = await api('/api/replay/' + encodeURIComponent(id));
        bar.max = Math.max(total, j.replayed, 1);
        bar.value = j.replayed;
        status.textContent = j.state + ': ' + j.replayed + ' replayed, ' + j.skipped + ' skipped (filtered)'
          + (j.notEvents ? ', ' + j.notEvents + ' not events' : '') + (j.failed ? ', ' + j.failed + ' failed' : '')
          + (j.error ? ' — ' + j.error : '');
        status.dataset.state = j.state;
        if (j.state === 'running') timer = setTimeout(poll, 500);
      } catch (e) {
        status.textContent = 'Cannot read the progress: ' + e.message;
      }
    }
    poll();
  }

  fill(root, h('h1', {}, 'Replay'),
    h('p', { class: 'muted' }, 'Sends dead letters back to the main topic as fresh events with the same replay ids as '
      + '`ladder dlt replay`: a replay run twice is processed once. Needs an operator token.'),
    form, out);
  return () => clearTimeout(timer);
}
