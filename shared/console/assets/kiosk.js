// The kiosk: paired once with a kiosk account by an admin who signs in on the tablet and picks
// the account (`POST /v1/auth/kiosk-session`; the refresh cookie keeps the tablet signed in,
// and the console's "end sessions" unpairs it),
// it shows the camera and a large button; a press (or, when the picture has changed and then
// held still, the automatic capture) sends the frame to `POST /v1/predict` and shows who was
// recorded, check-in or check-out, the time and minutes late — or asks "Are you NAME?" (202,
// confirmed through `POST /v1/predict/confirm`), or says why to try again. When the office
// wants a liveness challenge (428), it asks for one and prompts each head pose in turn, a
// frame per pose after a countdown. It returns to ready after a few seconds.

import { call, getAll, pairKiosk, refresh, signOut, currentSession, setReauthHandler, SignedOut } from './api.js';
import { h, field, replace, newId, confirmDialog } from './dom.js';
import { t, lang, setLang, translateStatic, describeError, locale } from './i18n.js';
import { signInForm } from './signin.js';
import { SAMPLE_SIZE, SteadyWatch, grayscale } from './steady.js';

const RESULT_SECONDS = 6; // how long an answer stays on screen
const CONFIRM_SECONDS = 20; // how long "Are you NAME?" waits (the server allows 60)
const SAMPLE_MS = 250; // how often the automatic capture looks at the picture
const COUNTDOWN_SECONDS = 3; // the countdown before each pose of a challenge is taken
const AUTO_KEY = 'lintas.kiosk.auto'; // `off` when automatic capture was turned off here
// Arrows pointing the way the face turns in the mirrored preview (the person's own left is
// on the left of the screen, as in a mirror).
const POSE_ARROWS = { left: '←', right: '→', frontal: '•' };

const signinView = document.getElementById('signin-view');
const cameraView = document.getElementById('camera-view');
const video = document.getElementById('preview');
const result = document.getElementById('result');
const prompt = document.getElementById('prompt');
const punchButton = document.getElementById('punch');
const claimButton = document.getElementById('claim');
const autoToggle = document.getElementById('auto');
const signOutButton = document.getElementById('sign-out');
const langSelect = document.getElementById('lang');
const clock = document.getElementById('clock');

let stream = null;
let busy = false;
let backTimer = 0;
let watch = new SteadyWatch();

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
let pairing = false; // an admin is choosing the kiosk account

// Shows the sign-in form (again, e.g. in another language) without dropping who waits for it.
function renderSignIn() {
  cameraView.hidden = true;
  signinView.hidden = false;
  const form = signInForm({
    titleId: newId('signin'),
    title: t('kiosk.signinTitle'),
    level: 'h1',
    intro: t('kiosk.signinHint'),
    onSignedIn: async (session) => {
      if (session.role !== 'kiosk' && session.role !== 'admin') {
        await signOut();
        throw Object.assign(new Error('not a kiosk'), { userMessage: t('kiosk.notKiosk') });
      }
      if (session.role === 'admin') await showPairing();
      else finishSignIn(session);
    },
  });
  replace(signinView, form);
  form.querySelector('input').focus();
}

// The sign-in is over: whoever waited for it goes on.
function finishSignIn(session) {
  pairing = false;
  signinView.hidden = true;
  const waiters = signInWaiters;
  signInWaiters = [];
  waiters.forEach((resolve) => resolve(session));
}

// An admin signed in on the tablet: pick the kiosk account it is to be (its session replaces
// the admin's here), or go on as the admin to try the kiosk.
async function showPairing() {
  pairing = true;
  cameraView.hidden = true;
  signinView.hidden = false;
  const titleId = newId('pair');
  const error = h('p', { class: 'form-error', role: 'alert' });
  const tryAsAdmin = h('button', { type: 'button', class: 'secondary', text: t('kiosk.tryAsAdmin'), on: { click: () => finishSignIn(currentSession()) } });
  let kiosks = [];
  try {
    kiosks = (await getAll('employees')).filter((e) => e.role === 'kiosk' && e.status === 'active');
  } catch (err) {
    error.textContent = describeError(err);
  }
  const form = h('form', { class: 'signin-form', 'aria-labelledby': titleId },
    h('h1', { id: titleId, text: t('kiosk.pairTitle') }),
    h('p', { class: 'hint', text: t(kiosks.length ? 'kiosk.pairHint' : 'kiosk.noKiosks') }));
  const account = h('select', { name: 'kiosk' }, kiosks.map((k) => h('option', { value: k.id, text: `${k.name} (${k.id})` })));
  const submit = h('button', { type: 'submit', class: 'primary', text: t('kiosk.pair') });
  if (kiosks.length) form.append(field(t('kiosk.pairAccount'), account));
  form.append(error, h('div', { class: 'buttons' }, tryAsAdmin, kiosks.length ? submit : null));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      finishSignIn(await pairKiosk(account.value));
    } catch (err) {
      error.textContent = describeError(err);
    } finally {
      submit.disabled = false;
    }
  });
  replace(signinView, form);
  (kiosks.length ? account : tryAsAdmin).focus();
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

// Automatic capture: a small grayscale copy of the preview, a few times a second, while the
// kiosk is ready (camera shown, nothing on the panel) and the toggle is on.
const sampler = document.createElement('canvas');
sampler.width = SAMPLE_SIZE.width;
sampler.height = SAMPLE_SIZE.height;
const sampleContext = sampler.getContext('2d', { willReadFrequently: true });

function sample() {
  if (!autoToggle.checked || busy || !result.hidden || cameraView.hidden || !stream) return;
  if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return;
  sampleContext.drawImage(video, 0, 0, sampler.width, sampler.height);
  const frame = grayscale(sampleContext.getImageData(0, 0, sampler.width, sampler.height).data);
  if (watch.feed(frame, performance.now())) punch();
}

// Whether this tablet captures automatically: yes, unless it was turned off here.
function autoWanted() {
  try {
    return localStorage.getItem(AUTO_KEY) !== 'off';
  } catch {
    return true;
  }
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
  watch.restart();
  say(t(autoToggle.checked ? 'kiosk.readyAuto' : 'kiosk.ready'));
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

// The form of a punch: one photo, or one per pose of a challenge, and the text fields.
function punchForm(photos, extra = {}) {
  const form = new FormData();
  photos.forEach((photo, i) => form.append('photo', photo, `kiosk-${i + 1}.jpg`));
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

// The "checking your face" panel.
function showChecking() {
  showPanel('busy', [h('p', { class: 'result-title', text: t('kiosk.checking') })]);
  say(t('kiosk.checking'));
}

// Sends the frames of a punch and shows the answer: the punch, or "Are you NAME?" for the
// frame the face was matched on (`matched`: the only one, or the frontal pose).
async function send(photos, matched, extra) {
  const response = await postPunch('predict', punchForm(photos, extra));
  const answer = await response.json();
  if (response.status === 202) askConfirmation(matched, answer);
  else showPunch(answer);
}

// A refused punch in words; a picture without a face is the empty scene for auto capture.
function refused(err) {
  if (err && err.name === 'SignedOut') return;
  if (err && err.code === 'no_face') watch.nobodyThere();
  showError(err);
}

async function punch(extra = {}) {
  if (busy) return;
  busy = true;
  punchButton.disabled = true;
  claimButton.disabled = true;
  showChecking();
  try {
    const photo = await capture();
    watch.capturedNow();
    await send([photo], photo, extra);
  } catch (err) {
    if (err && err.code === 'challenge_required') await challenge(extra).catch(refused);
    else refused(err);
  }
}

// 428: the office wants a liveness challenge. The person turns their head as asked, one pose
// after the other (their own left and right, as in the mirrored preview), a frame is taken
// after each countdown, and the frames go in the challenge's order with its id.
async function challenge(extra) {
  const asked = await (await call('challenges', { method: 'POST' })).json();
  const photos = [];
  for (const [index, pose] of asked.poses.entries()) {
    const count = h('p', { class: 'countdown' });
    showPanel('challenge', [
      h('p', { class: 'result-line', text: t('kiosk.challengeStep', { n: index + 1, total: asked.poses.length }) }),
      h('p', { class: 'challenge-pose' }, h('span', { 'aria-hidden': 'true', text: POSE_ARROWS[pose] }), ` ${t(`kiosk.pose.${pose}`)}`),
      h('p', { class: 'result-line', text: t(`kiosk.poseHint.${pose}`) }),
      count,
    ]);
    say(`${t(`kiosk.pose.${pose}`)}. ${t(`kiosk.poseHint.${pose}`)}`);
    for (let n = COUNTDOWN_SECONDS; n > 0; n -= 1) {
      count.textContent = t('kiosk.countdown', { n });
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    photos.push(await capture());
  }
  showChecking();
  await send(photos, photos[asked.poses.indexOf('frontal')], { ...extra, challenge_id: asked.id });
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
    showChecking();
    try {
      const response = await postPunch('predict/confirm', punchForm([photo], { confirmation: candidate.confirmation }));
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
autoToggle.addEventListener('change', () => {
  try {
    localStorage.setItem(AUTO_KEY, autoToggle.checked ? 'on' : 'off');
  } catch {
    // Not remembered when storage is blocked; the toggle still applies.
  }
  // The picture as it is now is the empty scene of a fresh watch.
  watch = new SteadyWatch();
  if (!busy && result.hidden) say(t(autoToggle.checked ? 'kiosk.readyAuto' : 'kiosk.ready'));
});
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
  if (pairing) showPairing();
  else if (!signinView.hidden) renderSignIn();
  else if (!busy) ready();
});

async function boot() {
  langSelect.value = lang();
  document.title = t('kiosk.title');
  translateStatic();
  tick();
  setInterval(tick, 15000);
  autoToggle.checked = autoWanted();
  setInterval(sample, SAMPLE_MS);
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
  } else if (session.role === 'admin') {
    // An admin's session left on the tablet: pair it now.
    const paired = new Promise((resolve) => signInWaiters.push(resolve));
    await showPairing();
    await paired;
  }
  await startCamera();
}

boot().catch((err) => {
  if (!(err instanceof SignedOut)) say(describeError(err));
});
