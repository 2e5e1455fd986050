// The sign-in form, used by the console (as a screen, and in a dialog when a session ends
// mid-work) and by the kiosk.

import { signIn } from './api.js';
import { h, field } from './dom.js';
import { t, describeError } from './i18n.js';

/**
 * A sign-in form. `onSignedIn(session)` runs after a successful sign-in (an error it throws
 * with a `userMessage` is shown under the form); `buttons` are extra buttons put before the
 * submit button (e.g. cancel in a dialog); `level` is the title's heading tag (`h1` when the
 * form is the page's content).
 */
export function signInForm({ titleId, title, intro = '', onSignedIn, buttons = [], level = 'h2' }) {
  const login = h('input', { name: 'login', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary', text: t('signin.submit') });
  const form = h('form', { class: 'signin-form', 'aria-labelledby': titleId },
    h(level, { id: titleId, text: title }),
    intro ? h('p', { class: 'hint', text: intro }) : null,
    field(t('signin.login'), login),
    field(t('signin.password'), password),
    error,
    h('div', { class: 'buttons' }, buttons, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    submit.textContent = t('signin.busy');
    try {
      const session = await signIn(login.value.trim(), password.value);
      password.value = '';
      await onSignedIn(session);
    } catch (err) {
      error.textContent = err.userMessage || describeError(err);
      password.select();
      password.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = t('signin.submit');
    }
  });
  return form;
}
