// The token form and how a page reports a failed call.
import { ApiError, setToken, token } from './api.js';
import { fill, h, message } from './dom.js';

function rerender() {
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

export function showSession() {
  const box = document.getElementById('session');
  fill(box, token()
    ? h('button', { type: 'button', id: 'forget-token', class: 'link', onclick: () => { setToken(null); rerender(); } },
        'Forget token')
    : h('span', { class: 'muted' }, 'no token'));
}

/** The form that asks for a token, shown when the API answers 401. */
export function login(root, problem) {
  const input = h('input', { type: 'password', id: 'token-input', autocomplete: 'off', placeholder: 'ops token' });
  const form = h('form', {
    id: 'login',
    onsubmit: (e) => {
      e.preventDefault();
      setToken(input.value);
      rerender();
    },
  },
  h('h1', {}, 'Token needed'),
  message('error', problem),
  h('p', {}, 'Paste a read or operator token (server.auth.tokens). It is kept for this tab only.'),
  input, ' ', h('button', { type: 'submit' }, 'Use token'));
  fill(root, form);
  input.focus();
}

/** What a page shows when a call fails: the token form on 401, the error otherwise. */
export function failed(root, error) {
  if (error instanceof ApiError && error.status === 401) {
    login(root, error.message);
    return;
  }
  fill(root, message('error', error.message || String(error)));
}

