// The console's frame: the session on load (a refresh keeps a reload signed in), the sign-in
// screen, the sign-in dialog when a session ends mid-work, the header, the language switch and
// the hash routes (`#/employees`, `#/employees/{id}/faces`, `#/board`, `#/recap`,
// `#/requests`, `#/audit`, `#/offices`, `#/offices/{id}`).

import { refresh, signOut, currentSession, onSessionChange, setReauthHandler, getJson, SignedOut } from './api.js';
import { h, replace, announce, announceError, showDialog, newId } from './dom.js';
import { t, lang, setLang, translateStatic } from './i18n.js';
import { signInForm } from './signin.js';
import * as employees from './screen-employees.js';
import * as enroll from './screen-enroll.js';
import * as board from './screen-board.js';
import * as recap from './screen-recap.js';
import * as requests from './screen-requests.js';
import * as audit from './screen-audit.js';
import * as offices from './screen-offices.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const signOutButton = document.getElementById('sign-out');
const langSelect = document.getElementById('lang');

let displayName = '';
let leaveScreen = null; // cleanup of the current screen (e.g. stop the camera)

/** The screen of a hash: its render function and arguments, or null. */
function resolve(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  switch (parts[0]) {
    case '':
    case 'employees':
      if (parts.length === 3 && parts[2] === 'faces') return { name: 'employees', render: (el) => enroll.render(el, parts[1]) };
      return { name: 'employees', render: (el) => employees.render(el) };
    case 'board': return { name: 'board', render: (el) => board.render(el) };
    case 'recap': return { name: 'recap', render: (el) => recap.render(el) };
    case 'requests': return { name: 'requests', render: (el) => requests.render(el) };
    case 'audit': return { name: 'audit', render: (el) => audit.render(el) };
    case 'offices': return { name: 'offices', render: (el) => offices.render(el, parts[1]) };
    default: return null;
  }
}

/** Shows the screen of the current hash (the employees when unknown). */
function route({ focus = true } = {}) {
  const session = currentSession();
  if (!session || session.role !== 'admin') return;
  const screen = resolve(location.hash) || resolve('#/employees');
  if (leaveScreen) leaveScreen();
  leaveScreen = null;
  for (const link of nav.querySelectorAll('a[data-route]')) {
    if (link.dataset.route === screen.name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const view = h('div', { class: 'screen' });
  replace(main, view);
  // aria-busy tells assistive technology (and the tests) while the screen is still loading.
  main.setAttribute('aria-busy', 'true');
  Promise.resolve(screen.render(view))
    .then((cleanup) => { leaveScreen = typeof cleanup === 'function' ? cleanup : null; })
    .catch(announceError)
    .finally(() => { if (view.isConnected) main.setAttribute('aria-busy', 'false'); });
  // Screen readers and keyboard users start at the new screen's heading.
  if (focus) {
    const title = view.querySelector('h1');
    if (title) title.focus();
  }
}

function updateHeader() {
  const session = currentSession();
  signOutButton.hidden = !session;
  nav.hidden = !session || session.role !== 'admin';
  who.textContent = session
    ? t('app.signedInAs', { name: displayName || session.employeeId, role: t(`role.${session.role}`) })
    : '';
}

// The name of the account signed in, for the header (admins may read their own record).
async function loadDisplayName(session) {
  displayName = '';
  if (session.role !== 'admin') return;
  try {
    displayName = (await getJson(`employees/${encodeURIComponent(session.employeeId)}`)).name;
  } catch {
    // The id is shown instead.
  }
  updateHeader();
}

function showSignIn() {
  if (leaveScreen) leaveScreen();
  leaveScreen = null;
  const titleId = newId('signin');
  const form = signInForm({ titleId, title: t('signin.title'), onSignedIn: start, level: 'h1' });
  replace(main, h('section', { class: 'card signin-card' }, form));
  main.setAttribute('aria-busy', 'false');
  form.querySelector('input').focus();
}

// After a sign-in or a successful refresh on load.
async function start(session) {
  updateHeader();
  await loadDisplayName(session);
  if (session.role !== 'admin') {
    replace(main, h('section', { class: 'card' },
      h('h1', { tabindex: '-1', text: t('app.notAdmin') }),
      h('p', {}, h('a', { href: 'kiosk.html', text: t('app.openKiosk') }))));
    main.querySelector('h1').focus();
    return;
  }
  route();
}

// When a session ends mid-work (and a refresh cannot renew it), a sign-in dialog opens over
// the current screen, so a half-filled form stays as it was; the call is then sent again.
let pendingReauth = null;
setReauthHandler(() => {
  if (!pendingReauth) {
    pendingReauth = new Promise((resolveSignIn, rejectSignIn) => {
      const titleId = newId('reauth');
      let signedIn = false;
      const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId });
      const cancel = h('button', { type: 'button', class: 'secondary', text: t('signin.cancel'), on: { click: () => dialog.close() } });
      dialog.append(signInForm({
        titleId,
        title: t('signin.again'),
        intro: t('signin.againHint'),
        buttons: [cancel],
        onSignedIn: async (session) => {
          signedIn = true;
          dialog.close();
          await loadDisplayName(session);
        },
      }));
      showDialog(dialog).then(() => {
        pendingReauth = null;
        if (signedIn) resolveSignIn();
        else rejectSignIn(new SignedOut());
      });
    });
  }
  return pendingReauth;
});

onSessionChange(updateHeader);

signOutButton.addEventListener('click', async () => {
  try {
    await signOut();
    announce(t('app.signedOut'), 'ok');
  } catch (err) {
    announceError(err);
  }
  showSignIn();
});

langSelect.addEventListener('change', () => setLang(langSelect.value));
window.addEventListener('langchange', () => {
  document.title = t('app.title');
  translateStatic();
  updateHeader();
  // Screens are rebuilt in the new language (the sign-in form too, when shown).
  if (currentSession()) start(currentSession());
  else showSignIn();
});

window.addEventListener('hashchange', () => route());

// The skip link moves focus to the content without touching the hash (used for routes).
document.getElementById('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});

async function boot() {
  langSelect.value = lang();
  document.title = t('app.title');
  translateStatic();
  let signedIn = false;
  try {
    signedIn = await refresh();
  } catch {
    // The server could not be reached or refused the refresh: sign in by hand.
  }
  if (signedIn) await start(currentSession());
  else showSignIn();
}

boot();
