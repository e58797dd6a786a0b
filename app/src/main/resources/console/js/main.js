// The console's router: one page at a time, chosen by the URL fragment (#/page/args?query).
import { captureToken } from './api.js';
import { fill, h } from './dom.js';
import { failed, showSession } from './session.js';
import * as ladder from './ladder.js';
import * as deadLetters from './dead-letters.js';
import * as replay from './replay.js';
import * as event from './event.js';
import * as keys from './keys.js';

const pages = { ladder, 'dead-letters': deadLetters, replay, event, keys };
let leave = null;

function route() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, search] = hash.split('?');
  const [name, ...args] = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
  const page = pages[name] ? name : 'ladder';
  return { page, args, params: new URLSearchParams(search || '') };
}

function render() {
  if (leave) {
    leave();
    leave = null;
  }
  captureToken(); // a token handed over in the fragment, also when only the fragment changed
  showSession();
  const { page, args, params } = route();
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('active', a.dataset.page === page);
  }
  const root = document.getElementById('page');
  fill(root, h('p', { class: 'muted' }, 'Loading…'));
  document.title = 'Ladder · ' + page;
  try {
    leave = pages[page].render(root, args, params) || null;
  } catch (e) {
    failed(root, e);
  }
}

window.addEventListener('hashchange', render);
render();
