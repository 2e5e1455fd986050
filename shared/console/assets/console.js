// The console's frame: the session on load (a refresh keeps a reload signed in), the sign-in
// screen, the sign-in dialog when a session ends mid-work, the header, the language switch and
// the hash routes (`#/employees`, `#/employees/{id}/faces`, `#/employees/{id}/roster`,
// `#/board`, `#/recap`, `#/requests`, `#/offices`, `#/offices/{id}`, `#/calendars`,
// `#/calendars/{id}`, `#/shifts`, `#/rules`, `#/audit`). Admins see every screen; employees
// (supervisors among them) the board, the recap and the requests, which the API gives them
// for themselves and their team; kiosk accounts are sent to the kiosk page.

import { refresh, signOut, currentSession, onSessionChange, setReauthHandler, getJson, SignedOut } from './api.js';
import { h, replace, announce, announceError, showDialog, newId } from './dom.js';
import { t, lang, setLang, translateStatic } from './i18n.js';
import { signInForm } from './signin.js';
import * as employees from './screen-employees.js';
import * as enroll from './screen-enroll.js';
import * as roster from './screen-roster.js';
import * as board from './screen-board.js';
import * as recap from './screen-recap.js';
import * as requests from './screen-requests.js';
import * as offices from './screen-offices.js';
import * as calendars from './screen-calendars.js';
import * as shifts from './screen-shifts.js';
import * as rules from './screen-rules.js';
import * as audit from './screen-audit.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const signOutButton = document.getElementById('sign-out');
const langSelect = document.getElementById('lang');

// The screens an employee may open (the API answers them for themselves and their team);
// admins open every screen but those shared by every office, which are for admins of every
// office only.
const EMPLOYEE_SCREENS = new Set(['board', 'recap', 'requests']);
const GLOBAL_SCREENS = new Set(['calendars', 'shifts', 'rules', 'audit']);

/** Whether `session` works in the console (kiosk accounts do not). */
const usesConsole = (session) => session.role === 'admin' || session.role === 'employee';

/** Whether `session` may open the screen (or follow the nav link) named `name`. */
function allowed(session, name) {
  if (session.role === 'admin') return !GLOBAL_SCREENS.has(name) || !me?.admin_offices?.length;
  return session.role === 'employee' && EMPLOYEE_SCREENS.has(name);
}

/** The screen of a hash: its nav name and render function, or null. */
function resolve(hash) {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const screen = (name, render) => ({ name, render });
  switch (parts[0]) {
    case '':
    case 'employees':
      if (parts.length === 3 && parts[2] === 'faces') return screen('employees', (el) => enroll.render(el, parts[1]));
      if (parts.length === 3 && parts[2] === 'roster') return screen('shifts', (el) => roster.render(el, parts[1]));
      return screen('employees', (el) => employees.render(el));
    case 'board': return screen('board', (el) => board.render(el));
    case 'recap': return screen('recap', (el) => recap.render(el));
    case 'requests': return screen('requests', (el) => requests.render(el));
    case 'offices': return screen('offices', (el) => offices.render(el, parts[1]));
    case 'calendars': return screen('calendars', (el) => calendars.render(el, parts[1]));
    case 'shifts': return screen('shifts', (el) => shifts.render(el));
    case 'rules': return screen('rules', (el) => rules.render(el));
    case 'audit': return screen('audit', (el) => audit.render(el));
    default: return null;
  }
}

/** The first screen of an account: the employees for admins, the daily board for others. */
const home = (session) => (session.role === 'admin' ? '#/employees' : '#/board');

let me = null; // the account signed in (`GET /v1/me`), once read
let leaveScreen = null; // cleanup of the current screen (e.g. stop the camera)

/** Shows the screen of the current hash (the account's first screen when unknown or not allowed). */
function route({ focus = true } = {}) {
  const session = currentSession();
  if (!session || !usesConsole(session)) return;
  let screen = resolve(location.hash);
  if (!screen || !allowed(session, screen.name)) {
    history.replaceState(null, '', home(session));
    screen = resolve(home(session));
  }
  if (leaveScreen) leaveScreen();
  leaveScreen = null;
  // Dialogs of the screen being left (e.g. after the browser's back button) are cancelled; a
  // sign-in dialog stays.
  for (const dialog of document.querySelectorAll('dialog[open]:not([data-reauth])')) dialog.close('cancel');
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
  nav.hidden = !session || !usesConsole(session);
  // Links to screens the account may not open are hidden (the kiosk page is for admins too).
  for (const link of nav.querySelectorAll('a')) {
    link.parentElement.hidden = !session || !allowed(session, link.dataset.route || 'kiosk');
  }
  who.textContent = session
    ? t('app.signedInAs', { name: me?.name || session.employeeId, role: t(`role.${session.role}`) })
    : '';
}

// The account signed in, for the header's name and the screens an office-scoped admin sees.
async function loadMe(session) {
  me = null;
  if (!usesConsole(session)) return;
  try {
    me = await getJson('me');
  } catch {
    // The id is shown instead, and the API refuses what the account may not do.
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
  await loadMe(session);
  if (!usesConsole(session)) {
    replace(main, h('section', { class: 'card' },
      h('h1', { tabindex: '-1', text: t('app.kioskAccount') }),
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
      const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId, dataset: { reauth: 'true' } });
      const cancel = h('button', { type: 'button', class: 'secondary', text: t('signin.cancel'), on: { click: () => dialog.close() } });
      dialog.append(signInForm({
        titleId,
        title: t('signin.again'),
        intro: t('signin.againHint'),
        buttons: [cancel],
        onSignedIn: async (session) => {
          signedIn = true;
          dialog.close();
          await loadMe(session);
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
