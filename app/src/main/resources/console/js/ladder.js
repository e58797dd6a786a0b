// The ladder now: per tier backlog, rates and lateness; breaker, rate limit, parked and blocked keys.
import { api } from './api.js';
import { age, fill, h, row, table, time } from './dom.js';
import { failed } from './session.js';

const EVERY_MS = 2000;

function rate(now, before, tier, outcome, seconds) {
  if (!before || seconds <= 0) return null;
  const prev = before.tiers.find((t) => t.tier === tier.tier);
  const a = (tier.events || {})[outcome] || 0;
  const b = prev ? (prev.events || {})[outcome] || 0 : 0;
  return Math.max(0, (a - b) / seconds);
}

function perSecond(v) {
  return v === null ? '–' : v.toFixed(v < 10 ? 1 : 0) + '/s';
}

function ms(v) {
  return v === null || v === undefined ? '–' : v < 1000 ? Math.round(v) + ' ms' : (v / 1000).toFixed(1) + ' s';
}

function card(label, value, id, kind) {
  return h('div', { class: 'card ' + (kind || ''), id }, h('div', { class: 'label' }, label), h('div', { class: 'value' }, value));
}

function view(now, before, blocked) {
  const seconds = before ? (Date.parse(now.time) - Date.parse(before.time)) / 1000 : 0;
  const clock = Date.parse(now.time);
  const breaker = now.breaker.state;
  const limit = now.rateLimit.callsPerSecond > 0 ? now.rateLimit.callsPerSecond + ' calls/s' : 'no cap';
  const deferred = Object.entries(now.rateLimit.deferrals || {}).map(([k, v]) => k + ' ' + v).join(', ') || 'none';
  return [
    h('h1', {}, 'Ladder'),
    h('div', { class: 'cards' },
      card('Breaker', breaker, 'breaker-state', breaker === 'CLOSED' ? 'ok' : 'bad'),
      card('Rate limit', limit + (now.rateLimit.adaptive ? ' · adaptive on 429' : ''), 'rate-limit'),
      card('Waiting retries', String(now.totals.timersPending), 'timers-pending'),
      card('Parked events', String(now.totals.parkedEvents), 'parked-events'),
      card('Blocked keys', String(now.totals.blockedKeys), 'blocked-keys', now.totals.blockedKeys > 0 ? 'bad' : ''),
      card('Dead-lettered', String(now.deadLettered) + ' since start', 'dead-lettered')),
    table(['Tier', 'Topic', 'Delay × attempts', 'Waiting', 'Due ≤ 1 min', 'Oldest pending', 'Retried', 'Succeeded',
      'Dead-lettered', 'Lateness p50', 'p99'],
    now.tiers.map((t) => row([
      t.tier === 0 ? 'main' : String(t.tier),
      t.topic,
      t.tier === 0 ? '–' : t.delay + ' × ' + t.attempts,
      String(t.waiting),
      String(t.dueNextMinute),
      t.oldestFirstAttempt ? age(clock - Date.parse(t.oldestFirstAttempt)) : '–',
      perSecond(rate(now, before, t, 'retried', seconds)),
      perSecond(rate(now, before, t, 'succeeded', seconds)),
      perSecond(rate(now, before, t, 'dead_lettered', seconds)),
      ms(t.latenessP50Ms),
      ms(t.latenessP99Ms),
    ], { 'data-tier': t.tier }))
    , { id: 'tiers' }),
    now.backlogTruncated ? h('p', { class: 'muted' }, 'Backlog counts stop at 100 000 waiting retries.') : null,
    h('p', { class: 'muted' }, 'Deferred calls: ' + deferred + '. Lateness since start; rates over the last '
      + (seconds ? seconds.toFixed(0) + ' s' : '(next refresh)') + '.'),
    h('h2', {}, 'Blocked keys on this instance'),
    blocked.length === 0
      ? h('p', { class: 'muted', id: 'no-blocked' }, 'None.')
      : table(['Key', 'Partition', 'Parked', 'Blocked for', 'Reason'],
        blocked.map((k) => row([k.key, String(k.partition), String(k.parked),
          k.heldSince ? age(clock - Date.parse(k.heldSince)) : '–', k.heldReason || '–'])), { id: 'ladder-blocked' }),
    h('p', { class: 'muted', id: 'updated' }, 'Updated ' + time(now.time) + ' · every ' + EVERY_MS / 1000 + ' s'),
  ];
}

export function render(root) {
  let before = null;
  let stopped = false;
  let timer = null;
  async function tick() {
    try {
      const [now, blocked] = await Promise.all([api('/api/ladder'), api('/keys/blocked')]);
      if (stopped) return;
      fill(root, ...view(now, before, blocked));
      before = now;
      timer = setTimeout(tick, EVERY_MS);
    } catch (e) {
      if (!stopped) {
        failed(root, e);
        if (e.status === 503) timer = setTimeout(tick, EVERY_MS);
      }
    }
  }
  tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
