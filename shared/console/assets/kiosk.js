// The kiosk: signed in once with a kiosk account (the refresh cookie keeps the tablet signed in),
// it shows the camera and a large button; a press sends the frame to `POST /v1/predict` and shows
// who was recorded, check-in or check-out, the time and minutes late — or asks "Are you NAME?"
// (202, confirmed through `POST /v1/predict/confirm`), or says why to try again. It returns to
// ready after a few seconds.

import { call, refresh, signOut, currentSession, setReauthHandler, SignedOut } from './api.js';
import { h, field, replace, newId, confirmDialog } from './dom.js';
import { t, lang, setLang, translateStatic, describeError, locale } from './i18n.js';
import { signInForm } from './signin.js';

const RESULT_SECONDS = 6; // how long an answer stays on screen
const CONFIRM_SECONDS = 20; // how long "Are you NAME?" waits (the server allows 60)

const signinView = document.getElementById('signin-view');
const cameraView = document.getElementById('camera-view');
const video = document.getElementById('preview');
const result = document.getElementById('result');
const prompt = document.getElementById('prompt');
const punchButton = document.getElementById('punch');
const claimButton = document.getElementById('claim');
const signOutButton = document.getElementById('sign-out');
const langSelect = document.getElementById('lang');
const clock = document.getElementById('clock');

let stream = null;
let busy = false;
let backTimer = 0;

// A stable id of this tablet, so attempt limits count per device when tablets share an account.
function deviceId() {
  const key = 'lintas.kiosk.device';
  try {
    let id = localStorage.getItem(key);
    if (!id) {
      id = `kiosk-${crypto.randomUUID().slice(0, 8)}`;
      localStorage.setItem(key, id);
    }
    return id;
  } catch {
    return null;
  }
}

function tick() {
  const now = new Date();
  clock.dateTime = now.toISOString();
  clock.textContent = new Intl.DateTimeFormat(locale(), { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit' }).format(now);
}

// Sign-in

let signInWaiters = []; // resolved together once the kiosk account has signed in

// Shows the sign-in form (again, e.g. in another language) without dropping who waits for it.
function renderSignIn() {
  cameraView.hidden = true;
  signinView.hidden = false;
  const form = signInForm({
    titleId: newId('signin'),
    title: t('kiosk.signinTitle'),
    level: 'h1',
    onSignedIn: async (session) => {
      if (session.role !== 'kiosk' && session.role !== 'admin') {
        await signOut();
        throw Object.assign(new Error('not a kiosk'), { userMessage: t('kiosk.notKiosk') });
      }
      signinView.hidden = true;
      const waiters = signInWaiters;
      signInWaiters = [];
      waiters.forEach((resolve) => resolve(session));
    },
  });
  replace(signinView, form);
  form.querySelector('input').focus();
}

/** Resolves once a kiosk (or admin) account has signed in. */
function showSignIn() {
  renderSignIn();
  return new Promise((resolve) => signInWaiters.push(resolve));
}

// Camera

async function startCamera() {
  signinView.hidden = true;
  cameraView.hidden = false;
  signOutButton.hidden = false;
  if (stream) {
    ready();
    return;
  }
  say(t('kiosk.starting'));
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user', width: { ideal: 1280 }, height: { ideal: 720 } } });
    video.srcObject = stream;
    await video.play().catch(() => {});
    ready();
  } catch (err) {
    showPanel('error', [h('p', { class: 'result-title', text: t('kiosk.cameraError', { reason: err.name || err.message }) })]);
    say(t('kiosk.cameraError', { reason: err.name || err.message }));
  }
}

function stopCamera() {
  if (stream) stream.getTracks().forEach((track) => track.stop());
  stream = null;
  video.srcObject = null;
}

// The frame as a JPEG, unmirrored (the preview is only mirrored on screen).
function capture() {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d').drawImage(video, 0, 0);
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
}

// What the screen shows

function say(text) {
  prompt.textContent = text;
}

function showPanel(kind, children) {
  clearTimeout(backTimer);
  result.className = `result-panel result-${kind}`;
  replace(result, children);
  result.hidden = false;
}

function ready() {
  clearTimeout(backTimer);
  busy = false;
  result.hidden = true;
  replace(result);
  punchButton.disabled = false;
  claimButton.disabled = false;
  say(t('kiosk.ready'));
}

function backToReadyIn(seconds) {
  clearTimeout(backTimer);
  backTimer = setTimeout(() => {
    ready();
    punchButton.focus();
  }, seconds * 1000);
}

function showPunch(punch) {
  const checkIn = punch.kind === 'check_in';
  const time = new Intl.DateTimeFormat(locale(), { hour: '2-digit', minute: '2-digit' }).format(new Date(punch.record.at));
  const kindText = t(checkIn ? 'kiosk.checkIn' : 'kiosk.checkOut');
  const lines = [
    h('p', { class: 'result-name', text: punch.employee_name }),
    h('p', { class: 'result-title', text: kindText }),
    h('p', { class: 'result-line', text: t('kiosk.at', { time }) }),
  ];
  if (checkIn && punch.late_minutes !== null && punch.late_minutes !== undefined) {
    lines.push(h('p', { class: punch.late_minutes > 0 ? 'result-line late' : 'result-line', text: punch.late_minutes > 0 ? t('kiosk.late', { n: punch.late_minutes }) : t('kiosk.onTime') }));
  }
  if (punch.repeated) lines.push(h('p', { class: 'result-line', text: t('kiosk.repeated') }));
  showPanel('ok', lines);
  say(`${punch.employee_name}: ${kindText}, ${t('kiosk.at', { time })}`);
  backToReadyIn(RESULT_SECONDS);
}

// A refusal in words and what to do. A lockout (429) may be one person's, not the kiosk's, so
// the kiosk still returns to ready for the next person; the wait is shown.
function showError(error) {
  if (error && error.code === 'claim_required') {
    showClaim();
    return;
  }
  const words = describeError(error && error.retryAfter ? { ...error, retryAfter: undefined } : error);
  const wait = error && error.retryAfter;
  const next = !wait ? t('kiosk.retry')
    : wait >= 120 ? t('kiosk.waitMinutes', { n: Math.ceil(wait / 60) }) : t('kiosk.waitSeconds', { n: wait });
  showPanel('error', [h('p', { class: 'result-title', text: words }), h('p', { class: 'result-line', text: next })]);
  say(`${words} ${next}`);
  backToReadyIn(RESULT_SECONDS);
}

// Talking to the server

function punchForm(photo, extra = {}) {
  const form = new FormData();
  form.append('photo', photo, 'kiosk.jpg');
  const device = deviceId();
  if (device) form.append('device', device);
  for (const [name, value] of Object.entries(extra)) form.append(name, value);
  return form;
}

// A punch, sent again once with the same Idempotency-Key when the network failed, so a
// retry never records twice.
async function postPunch(path, form) {
  const headers = { 'idempotency-key': crypto.randomUUID() };
  try {
    return await call(path, { method: 'POST', form, headers });
  } catch (err) {
    if (err && (err.name === 'ApiError' || err.name === 'SignedOut')) throw err;
    return call(path, { method: 'POST', form, headers });
  }
}

async function punch(extra = {}) {
  if (busy) return;
  busy = true;
  punchButton.disabled = true;
  claimButton.disabled = true;
  showPanel('busy', [h('p', { class: 'result-title', text: t('kiosk.checking') })]);
  say(t('kiosk.checking'));
  try {
    const photo = await capture();
    const response = await postPunch('predict', punchForm(photo, extra));
    const answer = await response.json();
    if (response.status === 202) askConfirmation(photo, answer);
    else showPunch(answer);
  } catch (err) {
    if (err && err.name === 'SignedOut') return;
    showError(err);
  }
}

// 202: the face is close to someone but not safely enough to record in one shot.
function askConfirmation(photo, candidate) {
  const yes = h('button', { type: 'button', class: 'primary big', text: t('kiosk.confirmYes', { name: candidate.employee_name }) });
  const no = h('button', { type: 'button', class: 'secondary big', text: t('kiosk.confirmNo') });
  showPanel('confirm', [
    h('p', { class: 'result-title', text: t('kiosk.confirmQuestion', { name: candidate.employee_name }) }),
    h('div', { class: 'buttons center' }, yes, no),
  ]);
  say(t('kiosk.confirmQuestion', { name: candidate.employee_name }));
  yes.focus();
  yes.addEventListener('click', async () => {
    showPanel('busy', [h('p', { class: 'result-title', text: t('kiosk.checking') })]);
    try {
      const response = await postPunch('predict/confirm', punchForm(photo, { confirmation: candidate.confirmation }));
      showPunch(await response.json());
    } catch (err) {
      if (err && err.name !== 'SignedOut') showError(err);
    }
  });
  no.addEventListener('click', () => showClaim());
  backToReadyIn(CONFIRM_SECONDS);
}

// The person types their employee id; the next frame is verified against it (1:1).
function showClaim() {
  const input = h('input', { name: 'claim', autocomplete: 'off', autocapitalize: 'none', required: true });
  const cancel = h('button', { type: 'button', class: 'secondary big', text: t('common.cancel'), on: { click: () => ready() } });
  const form = h('form', { class: 'claim-form' },
    h('p', { class: 'result-title', text: t('kiosk.claimTitle') }),
    field(t('kiosk.claimLabel'), input),
    h('div', { class: 'buttons center' }, cancel, h('button', { type: 'submit', class: 'primary big', text: t('kiosk.claimSubmit') })));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy = false;
    punch({ claim: input.value.trim() });
  });
  showPanel('confirm', [form]);
  say(t('kiosk.claimTitle'));
  input.focus();
  backToReadyIn(CONFIRM_SECONDS * 2);
}

// Session

// When the session ends (the account was suspended or erased, or the cookie expired), the
// kiosk asks for its account again; the camera stays on.
setReauthHandler(async () => {
  await showSignIn();
  cameraView.hidden = false;
  signOutButton.hidden = false;
});

punchButton.addEventListener('click', () => punch());
claimButton.addEventListener('click', () => {
  if (busy) return;
  punchButton.disabled = true;
  claimButton.disabled = true;
  showClaim();
});

signOutButton.addEventListener('click', async () => {
  if (!(await confirmDialog({ title: t('kiosk.signOutConfirm'), body: null, confirm: t('app.signOut') }))) return;
  try {
    await signOut();
  } catch {
    // Signed out here either way.
  }
  stopCamera();
  signOutButton.hidden = true;
  await showSignIn();
  await startCamera();
});

langSelect.addEventListener('change', () => setLang(langSelect.value));
window.addEventListener('langchange', () => {
  document.title = t('kiosk.title');
  translateStatic();
  tick();
  if (!signinView.hidden) renderSignIn();
  else if (!busy) ready();
});

async function boot() {
  langSelect.value = lang();
  document.title = t('kiosk.title');
  translateStatic();
  tick();
  setInterval(tick, 15000);
  let signedIn = false;
  try {
    signedIn = await refresh();
  } catch {
    // Not reachable or refused: sign in by hand.
  }
  const session = currentSession();
  if (!signedIn || (session.role !== 'kiosk' && session.role !== 'admin')) {
    if (signedIn) await signOut().catch(() => {});
    await showSignIn();
  }
  await startCamera();
}

boot().catch((err) => {
  if (!(err instanceof SignedOut)) say(describeError(err));
});
