// Browser tests of the console (`/console`, which leads to `/console/index.html`) and the kiosk page (`/console/kiosk.html`) in
// Chromium, driven by playwright-core, with axe-core checking accessibility.
//
// Environment:
//   LINTAS_BASE_URL     the server to test (e.g. http://127.0.0.1:8080); unset: start
//                       `$LINTAS_BIN serve` on a free loopback port with a temporary data folder
//   LINTAS_BIN          the lintas binary (needed when LINTAS_BASE_URL is unset)
//   LINTAS_ADMIN_PASSWORD  the admin's password when LINTAS_BASE_URL is set
//   LINTAS_FAKE_CAMERA  a Y4M file the fake camera plays (scripts/browser-test.sh makes it)
//   CHROMIUM            the Chromium binary (default /usr/bin/chromium)
//   LINTAS_SCREENSHOTS  a folder to save a screenshot of each main screen in (optional)
//
// Run with scripts/browser-test.sh, or: node --test tests/browser/console.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const fixture = (name) => path.join(repo, 'tests/fixtures', name);
const axePath = path.join(here, 'node_modules/axe-core/axe.min.js');

const ADMIN_PASSWORD = process.env.LINTAS_ADMIN_PASSWORD || 'kopi tubruk 42';
const EMPLOYEE = { id: 'budi', name: 'Budi Santoso' };
const KIOSK = { id: 'kios-lobi', name: 'Kios Lobi' }; // no password: an admin pairs the tablet
// An employee who signs in to the console, supervisor of Rina (made in a later step).
const SUPERVISOR = { id: 'dewi', name: 'Dewi Lestari', password: 'kebun teh lestari 7' };
const RINA = { id: 'rina', name: 'Rina Marlina', password: 'sepeda merah 88' };
const AUTO_CAPTURE = 'Ambil foto otomatis saat gambar diam';
const SLOW = { timeout: 90_000 }; // a face check on a 2-core machine, a cold server
// Browsers as in an office in Jakarta (times shown are the office's).
const PLACE = { locale: 'id-ID', timezoneId: 'Asia/Jakarta' };

let server = null; // the lintas process we started, if any
let serverLog = '';
let dataDir = null;
let base = '';
let browser = null;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, seconds) {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (server && server.exitCode !== null) throw new Error(`lintas serve exited (${server.exitCode}):\n${serverLog}`);
    try {
      if ((await fetch(`${url}/v1/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`lintas serve did not answer /v1/health within ${seconds} s:\n${serverLog}`);
}

before(async () => {
  if (process.env.LINTAS_BASE_URL) {
    base = process.env.LINTAS_BASE_URL.replace(/\/$/, '');
  } else {
    const bin = process.env.LINTAS_BIN;
    assert.ok(bin, 'set LINTAS_BIN (the lintas binary) or LINTAS_BASE_URL');
    const port = await freePort();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'lintas-browser-'));
    base = `http://127.0.0.1:${port}`;
    server = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`, '--data', dataDir], {
      env: {
        ...process.env,
        LINTAS_JWT_SECRET: randomBytes(32).toString('hex'),
        LINTAS_ADMIN_PASSWORD: ADMIN_PASSWORD,
        LINTAS_BCRYPT_COST: '4',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk) => { serverLog = (serverLog + chunk).slice(-20_000); };
    server.stdout.on('data', keep);
    server.stderr.on('data', keep);
  }
  await waitForHealth(base, 120);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      ...(process.env.LINTAS_FAKE_CAMERA ? [`--use-file-for-fake-video-capture=${process.env.LINTAS_FAKE_CAMERA}`] : []),
    ],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) {
    server.kill('SIGTERM');
    await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
  }
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

// Every console error, uncaught page error and CSP violation of a page fails the test, but for
// the API answers the pages handle and Chromium logs as failed resources: a 401 (a refresh on
// load before anyone signed in, a wrong password, an ended session), the kiosk's refused
// punch (422) and its call for a liveness challenge (428), an office not created yet (404),
// and the refusals the steps provoke to see them in words (400 or 409): an office's settings,
// requests, holidays, shifts, roster entries and deduction rules.
const EXPECTED_FAILURES = [
  [401, /\/v1\//], [422, /\/v1\/predict$/], [428, /\/v1\/predict$/], [404, /\/v1\/offices\//],
  [400, /\/v1\/offices\//], [400, /\/v1\/requests$/], [409, /\/v1\/requests$/],
  [400, /\/v1\/calendars\//], [400, /\/v1\/shifts\//], [400, /\/v1\/employees\/[^/]+\/roster$/],
  [400, /\/v1\/attendance-rules$/],
];
const problems = [];
function watch(page, label) {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location().url || '';
    const status = Number(/Failed to load resource: the server responded with a status of (\d+)/.exec(msg.text())?.[1]);
    if (EXPECTED_FAILURES.some(([code, url]) => status === code && url.test(where))) return;
    problems.push(`${label}: console error: ${msg.text()} (${where})`);
  });
  page.on('pageerror', (error) => problems.push(`${label}: page error: ${error.message}`));
  return page;
}

async function shot(page, name) {
  const folder = process.env.LINTAS_SCREENSHOTS;
  if (!folder) return;
  await mkdir(folder, { recursive: true });
  await page.screenshot({ path: path.join(folder, `${name}.png`), fullPage: true });
}

// axe-core over the page as it is; fails on any serious or critical violation, and notes the
// minor and moderate ones (printed as diagnostics at the end).
const axeNotes = [];
async function axe(page, screen) {
  await page.addScriptTag({ path: axePath });
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`);
  assert.deepEqual(report, [], `axe on ${screen}`);
  for (const v of results.violations) axeNotes.push(`axe ${screen}: ${v.id} (${v.impact}) on ${v.nodes.length} element(s)`);
}

async function signIn(page, login, password) {
  await page.getByLabel('ID pegawai atau e-mail').fill(login);
  await page.getByLabel('Kata sandi').fill(password);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
}

// What the kiosk calls the first punch of the day at `at` in the default office (08:00-16:00,
// Monday to Friday, Jakarta): a check-in ("masuk"), or from the middle of a working day on the
// check-out of someone who did not check in ("pulang").
function firstPunchWord(at) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Jakarta', weekday: 'short', hour: '2-digit', hourCycle: 'h23',
  }).formatToParts(at).map((part) => [part.type, part.value]));
  const working = !['Sat', 'Sun'].includes(parts.weekday);
  return working && Number(parts.hour) >= 12 ? 'pulang' : 'masuk';
}

// The text of the first element matching `selector` once it contains `text`.
async function textOf(page, selector, text) {
  const el = page.locator(selector).filter({ hasText: text }).first();
  await el.waitFor(SLOW);
  return el.innerText();
}

// A date `days` from today, `YYYY-MM-DD`.
const dayFromNow = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

// An API call from Node (body-mode tokens, no cookie), for what the test arranges behind the
// page's back.
async function apiLogin(login, password) {
  const response = await fetch(`${base}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  assert.equal(response.status, 200, `API login of ${login}`);
  return response.json();
}

// `method` on API `route` with an access token and an optional JSON body.
function apiSend(token, method, route, body) {
  return fetch(`${base}/v1/${route}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

// An admin signs in on a kiosk page and pairs it with the kiosk account (`onPairing` runs on
// the pairing form first, e.g. an accessibility check).
async function pairTablet(kiosk, onPairing = async () => {}) {
  await kiosk.goto(`${base}/console/kiosk.html`);
  await kiosk.getByRole('heading', { name: 'Masuk dengan akun kios' }).waitFor();
  await signIn(kiosk, 'admin', ADMIN_PASSWORD);
  await kiosk.getByRole('heading', { name: 'Jadikan tablet ini kios' }).waitFor();
  await onPairing();
  await kiosk.getByLabel('Akun kios').selectOption(KIOSK.id);
  await kiosk.getByRole('button', { name: 'Pasangkan tablet' }).click();
  await kiosk.getByRole('button', { name: 'Absen', exact: true }).waitFor();
}

// Pairs a kiosk page with the kiosk account and waits for the camera; automatic capture is
// turned off, so that only the button punches (the fake camera plays one still picture, which
// auto capture never takes: a step below checks that on its own).
async function openKiosk(kiosk) {
  await pairTablet(kiosk);
  await kiosk.getByLabel(AUTO_CAPTURE).uncheck();
  await kiosk.waitForFunction(() => {
    const video = document.getElementById('preview');
    return video.videoWidth > 0 && !document.getElementById('punch').disabled;
  }, null, SLOW);
}

test('console and kiosk in Chromium', { timeout: 600_000 }, async (t) => {
  const context = await browser.newContext({ ...PLACE, viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = watch(await context.newPage(), 'console');
  // The steps build on each other: after a failure the rest are skipped, not timed out.
  let broken = false;
  const step = (name, fn) => t.test(name, async (st) => {
    if (broken) {
      st.skip('an earlier step failed');
      return;
    }
    try {
      await fn(st);
    } catch (error) {
      broken = true;
      throw error;
    }
  });

  await step('the console answers with its CSP and asks to sign in', async () => {
    const response = await page.goto(`${base}/console`);
    assert.equal(response.status(), 200);
    const csp = response.headers()['content-security-policy'] || '';
    for (const directive of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"]) {
      assert.ok(csp.includes(directive), `CSP of the console has ${directive}: ${csp}`);
    }
    const kiosk = await context.request.get(`${base}/console/kiosk.html`);
    assert.ok((kiosk.headers()['content-security-policy'] || '').includes("script-src 'self'"), 'CSP of kiosk.html');
    await page.getByRole('heading', { name: 'Masuk ke konsol' }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'id');
    await shot(page, 'sign-in');
  });

  await step('a wrong password is refused in words', async () => {
    await signIn(page, 'admin', 'not the password 1');
    assert.match(await textOf(page, '[role=alert]', 'salah'), /ID atau kata sandi salah/);
  });

  await step('the admin signs in and sees the employees', async () => {
    await signIn(page, 'admin', ADMIN_PASSWORD);
    await page.getByRole('heading', { name: 'Pegawai', level: 1 }).waitFor();
    assert.match(await page.locator('#who').innerText(), /Masuk sebagai .*\(Admin\)/);
    await page.getByRole('cell', { name: 'admin', exact: true }).waitFor();
  });

  await step('an employee is created', async () => {
    await page.getByRole('button', { name: 'Tambah pegawai' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tambah pegawai' });
    await dialog.getByLabel('ID', { exact: true }).fill(EMPLOYEE.id);
    await dialog.getByLabel('Nama').fill(EMPLOYEE.name);
    await dialog.getByLabel('NIP (opsional)').fill('198001012006041001');
    await dialog.getByRole('button', { name: 'Simpan' }).click();
    await dialog.waitFor({ state: 'detached' });
    await textOf(page, '#status', `${EMPLOYEE.name} ditambahkan`);
    await page.getByRole('cell', { name: EMPLOYEE.name, exact: true }).waitFor();
    await shot(page, 'employees');
  });

  await step('enrollment: a good photo is accepted, a photo without a face is refused in words', async () => {
    await page.getByRole('link', { name: `Wajah ${EMPLOYEE.name} (${EMPLOYEE.id})` }).click();
    await page.getByRole('heading', { name: `Wajah ${EMPLOYEE.name} (${EMPLOYEE.id})` }).waitFor();
    const files = page.getByLabel(/Pilih foto/);
    await files.setInputFiles(fixture('poses/man_glasses/frontal.jpg'));
    await page.getByRole('img', { name: 'frontal.jpg' }).waitFor();
    await page.getByRole('button', { name: 'Kirim foto' }).click();
    const accepted = await textOf(page, '.results li', 'frontal.jpg');
    assert.match(accepted, /frontal\.jpg: Diterima/, accepted);
    await page.locator('tbody tr', { has: page.getByRole('button', { name: /^Hapus / }) }).first().waitFor();

    await files.setInputFiles(fixture('faces/_no_face/faceapi_white.png'));
    await page.getByRole('button', { name: 'Kirim foto' }).click();
    const refused = await textOf(page, '.results li', 'faceapi_white.png');
    assert.match(refused, /faceapi_white\.png: Ditolak — Tidak ada wajah yang terdeteksi di foto\./, refused);
    await shot(page, 'enrollment');
  });

  await step('the language switches to English and back, and <html lang> follows', async () => {
    await page.getByLabel('Bahasa').selectOption('en');
    await page.getByRole('heading', { name: `Faces of ${EMPLOYEE.name} (${EMPLOYEE.id})` }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    await page.getByLabel('Language').selectOption('id');
    await page.getByRole('heading', { name: `Wajah ${EMPLOYEE.name} (${EMPLOYEE.id})` }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), 'id');
  });

  await step('a kiosk account is created', async () => {
    await page.getByRole('link', { name: 'Pegawai', exact: true }).click();
    await page.getByRole('button', { name: 'Tambah pegawai' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tambah pegawai' });
    await dialog.getByLabel('ID', { exact: true }).fill(KIOSK.id);
    await dialog.getByLabel('Nama').fill(KIOSK.name);
    await dialog.getByLabel('Peran').selectOption('kiosk');
    await dialog.getByRole('button', { name: 'Simpan' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: KIOSK.name, exact: true }).waitFor();
  });

  await step('the kiosk recognises the employee from the camera and records the check-in', async () => {
    assert.ok(process.env.LINTAS_FAKE_CAMERA, 'set LINTAS_FAKE_CAMERA to a Y4M file of frontal2.jpg (scripts/browser-test.sh makes it)');
    const kioskContext = await browser.newContext({ ...PLACE, viewport: { width: 1024, height: 900 } });
    const kiosk = watch(await kioskContext.newPage(), 'kiosk');
    const response = await kioskContext.request.get(`${base}/console/kiosk.html`);
    assert.ok((response.headers()['content-security-policy'] || '').includes("default-src 'none'"));
    await openKiosk(kiosk);
    const button = kiosk.getByRole('button', { name: 'Absen', exact: true });
    const since = new Date();
    await button.click();
    const panel = kiosk.locator('#result');
    await panel.locator('.result-name, .result-title:not(:has-text("Memeriksa"))').first().waitFor(SLOW);
    // A gallery of one is safe for a one-shot match; a confirmation is answered all the same.
    const confirm = kiosk.getByRole('button', { name: `Ya, saya ${EMPLOYEE.name}` });
    if (await confirm.isVisible()) await confirm.click();
    const shown = await textOf(kiosk, '#result', EMPLOYEE.name);
    assert.match(shown, new RegExp(EMPLOYEE.name));
    // The first punch of the day: which one it is depends on the hour (both, when the middle
    // of the day passed during the punch).
    const words = [...new Set([firstPunchWord(since), firstPunchWord(new Date())])];
    assert.match(shown, new RegExp(`Absen (${words.join('|')}) tercatat`));
    assert.match(shown, /Pukul \d\d[.:]\d\d/);
    await shot(kiosk, 'kiosk');

    // Back to ready after a few seconds; a second punch within minutes is not counted twice.
    await kiosk.waitForFunction(() => !document.getElementById('punch').disabled, null, SLOW);
    await button.click();
    assert.match(await textOf(kiosk, '#result', 'Sudah tercatat'), /Sudah tercatat sebelumnya/);

    // A claimed id the face does not match is refused, in words, with a retry.
    await kiosk.waitForFunction(() => !document.getElementById('claim').disabled, null, SLOW);
    await kiosk.getByRole('button', { name: 'Pakai ID pegawai' }).click();
    await kiosk.getByLabel('ID pegawai Anda').fill('orang-lain');
    await kiosk.getByRole('button', { name: 'Absen dengan ID ini' }).click();
    const refused = await textOf(kiosk, '#result', 'tidak cocok');
    assert.match(refused, /Wajah tidak cocok dengan ID tersebut\./);
    assert.match(refused, /Silakan coba lagi\./);
    await shot(kiosk, 'kiosk-refusal');

    // Automatic capture never takes the still picture of the fake camera: nobody stepped in.
    await kiosk.waitForFunction(() => !document.getElementById('punch').disabled, null, SLOW);
    await kiosk.getByLabel(AUTO_CAPTURE).check();
    await textOf(kiosk, '#prompt', 'diam sebentar');
    await kiosk.waitForTimeout(2500);
    assert.equal(await kiosk.locator('#result').isHidden(), true, 'no automatic punch of a still scene');

    // Its logic, fed frames of one grey level each (32x24), four a second: the empty scene,
    // someone stepping in and holding still (one capture after a second), staying (none),
    // leaving, coming back (one more), and a change the server found no face in (learnt as the
    // empty scene, then never taken again).
    const decisions = await kiosk.evaluate(async () => {
      const { SteadyWatch, SAMPLE_SIZE } = await import(new URL('steady.js', location.href).href);
      const watcher = new SteadyWatch();
      let now = 0;
      const feed = (level, times) => Array.from({ length: times }, () => {
        now += 250;
        return watcher.feed(new Uint8ClampedArray(SAMPLE_SIZE.width * SAMPLE_SIZE.height).fill(level), now);
      });
      const phases = { empty: feed(40, 8), arrives: feed(160, 6), stays: feed(160, 8), leaves: feed(40, 4), back: feed(160, 6), shadow: feed(90, 6) };
      watcher.nobodyThere();
      phases.shadowStays = feed(90, 8);
      return phases;
    });
    const once = [false, false, false, false, false, true];
    assert.deepEqual(decisions, {
      empty: Array(8).fill(false), arrives: once, stays: Array(8).fill(false), leaves: Array(4).fill(false),
      back: once, shadow: once, shadowStays: Array(8).fill(false),
    });

    // The kiosk page is accessible too (checked in a context that lets axe in, signed in anew).
    const axeContext = await browser.newContext({ ...PLACE, bypassCSP: true });
    const axePage = await axeContext.newPage();
    await axePage.goto(`${base}/console/kiosk.html`);
    await axePage.getByRole('heading', { name: 'Masuk dengan akun kios' }).waitFor();
    await axe(axePage, 'kiosk sign-in');
    await pairTablet(axePage, () => axe(axePage, 'kiosk pairing'));
    await axe(axePage, 'kiosk camera');
    await axeContext.close();

    // The tablet stays signed in across a reload, until the admin unpairs it in the console.
    await kiosk.reload();
    await kiosk.getByRole('button', { name: 'Absen', exact: true }).waitFor();
    await page.getByRole('link', { name: 'Pegawai', exact: true }).click();
    await page.getByRole('button', { name: `Putuskan tablet ${KIOSK.name} (${KIOSK.id})` }).click();
    const unpair = page.getByRole('dialog', { name: `Akhiri semua sesi ${KIOSK.name}?` });
    await unpair.getByRole('button', { name: 'Putuskan tablet' }).click();
    await textOf(page, '#status', `Semua sesi ${KIOSK.name} berakhir`);
    await kiosk.reload();
    await kiosk.getByRole('heading', { name: 'Masuk dengan akun kios' }).waitFor();
    await kioskContext.close();
  });

  await step('the daily board shows the employee in, and the recap CSV has their row', async () => {
    await page.getByRole('link', { name: 'Papan harian' }).click();
    await page.getByRole('heading', { name: 'Papan harian', level: 1 }).waitFor();
    const row = page.locator(`tr[data-employee="${EMPLOYEE.id}"]`);
    await row.waitFor(SLOW);
    // Checked in: in or late while the day runs; after the office's hours a lone punch is
    // counted as the day's check-out, so "gone" too.
    const status = await row.getAttribute('data-status');
    assert.ok(['in', 'late', 'gone'].includes(status), `board status ${status}`);
    const group = page.locator(`section.group-${status} h2`);
    assert.match(await group.innerText(), /Hadir|Terlambat|Sudah pulang/);
    await shot(page, 'board');

    await page.getByRole('link', { name: 'Rekap bulanan' }).click();
    await page.getByRole('heading', { name: 'Rekap bulanan', level: 1 }).waitFor();
    await page.locator(`tr[data-employee="${EMPLOYEE.id}"]`).waitFor(SLOW);
    await page.getByRole('img', { name: /Keterlambatan per hari/ }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'CSV rekap' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /^attendance-recap-\d{4}-\d{2}\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    // Text cells are quoted (none of these holds a comma or a quote).
    const rows = csv.trim().split('\n').map((line) => line.split(',').map((cell) => cell.replace(/^"(.*)"$/, '$1')));
    assert.deepEqual(rows[0].slice(0, 2), ['employee_id', 'name']);
    assert.ok(rows.some((row) => row[0] === EMPLOYEE.id && row[1] === EMPLOYEE.name), csv);
    await textOf(page, '#status', 'diunduh');
    await shot(page, 'recap');
  });

  await step('a reload keeps the session, through the refresh cookie', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'Rekap bulanan', level: 1 }).waitFor();
    assert.match(await page.locator('#who').innerText(), /Masuk sebagai/);
  });

  await step('a waiting request is rejected with a reason', async () => {
    // An employee files a sick leave through the API (as the mobile app would).
    const admin = await apiLogin('admin', ADMIN_PASSWORD);
    const created = await fetch(`${base}/v1/employees`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.access_token}` },
      body: JSON.stringify({ id: RINA.id, name: RINA.name, role: 'employee', password: RINA.password }),
    });
    assert.equal(created.status, 201);
    const rina = await apiLogin(RINA.id, RINA.password);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const filed = await fetch(`${base}/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${rina.access_token}` },
      body: JSON.stringify({ kind: 'sick', from: tomorrow, to: tomorrow, reason: 'Demam tinggi' }),
    });
    assert.equal(filed.status, 201);
    await page.getByRole('link', { name: 'Pengajuan' }).click();
    await page.getByRole('cell', { name: 'Rina Marlina (rina)', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Tolak: Sakit, Rina Marlina (rina)' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Alasan penolakan').fill('Surat dokter belum dilampirkan');
    await dialog.getByRole('button', { name: 'Tolak' }).click();
    await textOf(page, '#status', 'Pengajuan ditolak');
    await page.getByRole('cell', { name: 'Tidak ada pengajuan yang menunggu.' }).waitFor();
  });

  await step('an admin files a manual entry for an employee: approved at once', async () => {
    await page.getByRole('button', { name: 'Ajukan cuti atau koreksi' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ajukan cuti atau koreksi' });
    await dialog.getByLabel('Untuk pegawai (ID) (opsional)').fill(EMPLOYEE.id);
    await dialog.getByLabel('Jenis').selectOption('official_duty');
    await dialog.getByLabel('Dari tanggal').fill(dayFromNow(20));
    await dialog.getByLabel('Sampai tanggal (opsional)').fill(dayFromNow(21));
    await dialog.getByLabel('Alasan').fill('Rapat koordinasi provinsi');
    await dialog.getByLabel('Nomor surat (opsional)').fill('ST/045/XI');
    await dialog.getByRole('button', { name: 'Ajukan', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await textOf(page, '#status', `Pengajuan Dinas luar untuk ${EMPLOYEE.name} (${EMPLOYEE.id}) dicatat dan langsung disetujui.`);
    const admin = await apiLogin('admin', ADMIN_PASSWORD);
    const theirs = await (await apiSend(admin.access_token, 'GET', `requests?employee_id=${EMPLOYEE.id}`)).json();
    assert.deepEqual(theirs.items.map((r) => [r.kind, r.status, r.from, r.to, r.reference]),
      [['official_duty', 'approved', dayFromNow(20), dayFromNow(21), 'ST/045/XI']]);
    await shot(page, 'requests');
  });

  await step('an ended session asks to sign in again in a dialog, keeping the half-filled form', async () => {
    await page.getByRole('link', { name: 'Pegawai', exact: true }).click();
    await page.getByRole('button', { name: 'Tambah pegawai' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tambah pegawai' });
    await dialog.getByLabel('ID', { exact: true }).fill('sari');
    await dialog.getByLabel('Nama').fill('Sari Dewi');
    // The session ends behind the page's back: its cookie is gone, and a logout elsewhere
    // ends every access token of the account.
    await context.clearCookies();
    const other = await apiLogin('admin', ADMIN_PASSWORD);
    const logout = await fetch(`${base}/v1/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: other.refresh_token }),
    });
    assert.equal(logout.status, 204);
    await dialog.getByRole('button', { name: 'Simpan' }).click();
    const again = page.getByRole('dialog', { name: 'Sesi berakhir — masuk lagi' });
    await again.waitFor();
    assert.equal(await dialog.getByLabel('Nama').inputValue(), 'Sari Dewi');
    await again.getByLabel('ID pegawai atau e-mail').fill('admin');
    await again.getByLabel('Kata sandi').fill(ADMIN_PASSWORD);
    await again.getByRole('button', { name: 'Masuk', exact: true }).click();
    // The save is sent again once signed in.
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'Sari Dewi', exact: true }).waitFor();
  });

  await step('an office: grace and geofence saved and shown after a reload, a bad schedule refused in words, a new office created', async () => {
    await page.getByRole('link', { name: 'Kantor', exact: true }).click();
    await page.getByRole('heading', { name: 'Pengaturan kantor', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('ID kantor').inputValue(), 'main');
    const form = page.locator('form.office-form');
    await form.getByRole('heading', { name: '(main)' }).waitFor();
    assert.equal(await form.getByLabel('Tanpa geofence').isChecked(), true);
    await form.getByLabel('Toleransi terlambat (menit)').fill('15');
    await form.getByLabel('Hanya di dalam lingkaran').check();
    await form.getByLabel('Lintang pusat (derajat)').fill('-6.1754');
    await form.getByLabel('Bujur pusat (derajat)').fill('106.8272');
    await form.getByLabel('Jari-jari (meter)').fill('250');
    await form.getByRole('button', { name: 'Simpan' }).click();
    await textOf(page, '#status', 'disimpan');

    // What the server stored, and what the screen shows after a reload.
    const admin = await apiLogin('admin', ADMIN_PASSWORD);
    const stored = await (await fetch(`${base}/v1/offices/main`, { headers: { authorization: `Bearer ${admin.access_token}` } })).json();
    assert.equal(stored.schedule.grace_minutes, 15);
    assert.deepEqual(stored.geofence, { center: { latitude: -6.1754, longitude: 106.8272 }, radius_m: 250 });
    await page.reload();
    await page.getByRole('heading', { name: 'Pengaturan kantor', level: 1 }).waitFor();
    await form.getByRole('heading', { name: '(main)' }).waitFor();
    assert.equal(await form.getByLabel('Toleransi terlambat (menit)').inputValue(), '15');
    assert.equal(await form.getByLabel('Hanya di dalam lingkaran').isChecked(), true);
    assert.equal(await form.getByLabel('Lintang pusat (derajat)').inputValue(), '-6.1754');
    assert.equal(await form.getByLabel('Bujur pusat (derajat)').inputValue(), '106.8272');
    assert.equal(await form.getByLabel('Jari-jari (meter)').inputValue(), '250');
    assert.equal(await form.getByLabel('Jam masuk', { exact: true }).inputValue(), '08:00');
    assert.equal(await form.getByLabel('Senin').isChecked(), true);
    assert.equal(await form.getByLabel('Sabtu').isChecked(), false);
    await shot(page, 'offices');

    // A day that ends before it starts: the API's refusal, in words, in the form.
    await form.getByLabel('Jam pulang', { exact: true }).fill('07:00');
    await form.getByRole('button', { name: 'Simpan' }).click();
    assert.match(await textOf(page, 'form.office-form [role=alert]', 'Jadwal'), /Jadwal kerja tidak valid\./);

    // A new id opens an empty office; saving creates it.
    await page.getByLabel('ID kantor').fill('cabang-makassar');
    await page.getByRole('button', { name: 'Buka', exact: true }).click();
    await form.getByRole('heading', { name: 'Kantor baru: cabang-makassar' }).waitFor();
    await form.getByLabel('Nama kantor').fill('Cabang Makassar');
    await form.getByLabel('Zona waktu', { exact: true }).selectOption('Asia/Makassar');
    await form.getByRole('button', { name: 'Buat kantor' }).click();
    await textOf(page, '#status', 'Kantor Cabang Makassar dibuat');
    await form.getByRole('heading', { name: 'Cabang Makassar (cabang-makassar)' }).waitFor();
  });

  await step('the kiosk answers a liveness challenge pose by pose; a still picture is refused in words', async () => {
    // The office asks kiosk punches for a challenge (the offices screen's policy).
    await page.goto(`${base}/console/index.html#/offices/main`);
    const form = page.locator('form.office-form');
    await form.getByRole('heading', { name: '(main)' }).waitFor();
    await form.getByLabel('Wajib untuk absen di kios').check();
    await form.getByRole('button', { name: 'Simpan' }).click();
    await textOf(page, '#status', 'disimpan');
    try {
      const kioskContext = await browser.newContext({ ...PLACE, viewport: { width: 1024, height: 900 } });
      const kiosk = watch(await kioskContext.newPage(), 'kiosk');
      await openKiosk(kiosk);
      await kiosk.getByRole('button', { name: 'Absen', exact: true }).click();
      // Each pose in large type, in turn, with its countdown.
      const pose = kiosk.locator('#result .challenge-pose');
      await pose.waitFor(SLOW);
      assert.match(await pose.innerText(), /Tolehkan kepala ke (KIRI|KANAN) Anda|Lihat lurus ke kamera/);
      assert.match(await kiosk.locator('#result').innerText(), /Pemeriksaan keaktifan: langkah 1 dari 3[\s\S]*Foto dalam \d/);
      await shot(kiosk, 'kiosk-challenge');
      await kiosk.getByText('langkah 3 dari 3').waitFor(SLOW);
      // One still picture cannot turn its head: the challenge is refused, in words.
      const refused = await textOf(kiosk, '#result.result-error', 'coba lagi');
      assert.match(refused, /Posisi kepala tidak sesuai yang diminta\.|Dua foto tantangan sama persis\./);
      assert.match(refused, /Silakan coba lagi\./);
      await kioskContext.close();
    } finally {
      await form.getByLabel('Wajib untuk absen di kios').uncheck();
      await form.getByRole('button', { name: 'Simpan' }).click();
      await textOf(page, '#status', 'disimpan');
    }
  });

  await step('calendars: holidays added, imported (a bad line refused in words) and deleted; a special period with its hours', async () => {
    const next = new Date().getFullYear() + 1;
    await page.getByRole('link', { name: 'Kalender libur' }).click();
    await page.getByRole('heading', { name: 'Kalender libur', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('ID kalender').inputValue(), 'default');
    await page.getByLabel('Tahun', { exact: true }).fill(String(next));
    await page.getByRole('button', { name: 'Buka', exact: true }).click();
    await page.getByRole('heading', { name: `Hari libur default tahun ${next}` }).waitFor();

    await page.getByRole('button', { name: 'Tambah hari libur' }).click();
    let dialog = page.getByRole('dialog', { name: 'Tambah hari libur ke default' });
    await dialog.getByLabel('Tanggal').fill(`${next}-08-17`);
    await dialog.getByLabel('Nama').fill('Hari Kemerdekaan');
    await dialog.getByRole('button', { name: 'Simpan' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator(`tr[data-date="${next}-08-17"]`, { hasText: 'Libur nasional' }).waitFor();

    await page.getByRole('button', { name: 'Impor CSV' }).click();
    dialog = page.getByRole('dialog', { name: 'Impor hari libur ke default' });
    const csv = dialog.getByLabel('Baris CSV: tanggal,nama,jenis');
    await csv.fill(`date,name,kind\n${next}-05-01,Hari Buruh,holiday`);
    await dialog.getByRole('button', { name: 'Impor', exact: true }).click();
    assert.match(await textOf(dialog, '[role=alert]', 'tidak valid'), /Hari libur atau periode khusus tidak valid\./);
    await csv.fill(`date,name,kind\n${next}-01-01,Tahun Baru,national\n${next}-12-24,Cuti bersama Natal,collective_leave`);
    await dialog.getByRole('button', { name: 'Impor', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await textOf(page, '#status', '2 hari libur diimpor');
    await page.locator(`tr[data-date="${next}-12-24"]`, { hasText: 'Cuti bersama' }).waitFor();

    await page.getByRole('button', { name: /^Hapus Tahun Baru/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Hapus' }).click();
    await page.locator(`tr[data-date="${next}-01-01"]`).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Tambah periode khusus' }).click();
    dialog = page.getByRole('dialog', { name: 'Tambah periode khusus ke default' });
    await dialog.getByLabel('ID periode').fill(`ramadan-${next}`);
    await dialog.getByLabel('Nama').fill('Ramadan');
    await dialog.getByLabel('Dari tanggal').fill(`${next}-02-08`);
    await dialog.getByLabel('Sampai tanggal').fill(`${next}-03-09`);
    await dialog.getByLabel('Jam pulang', { exact: true }).fill('15:00');
    await dialog.getByLabel('Jumat').uncheck();
    await dialog.getByRole('button', { name: 'Simpan' }).click();
    await dialog.waitFor({ state: 'detached' });
    const period = page.locator(`tr[data-period="ramadan-${next}"]`);
    assert.match(await period.innerText(), /Sen, Sel, Rab, Kam 08:00–15:00/);
    await shot(page, 'calendars');
    await period.getByRole('button', { name: 'Hapus' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Hapus' }).click();
    await period.waitFor({ state: 'detached' });
  });

  await step('shifts: a night shift created (a zero-hour one refused in words), an employee rostered on it, an overlap refused', async () => {
    await page.getByRole('link', { name: 'Shift dan jadwal' }).click();
    await page.getByRole('heading', { name: 'Shift dan jadwal', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Tambah shift' }).click();
    const dialog = page.getByRole('dialog', { name: 'Tambah shift' });
    await dialog.getByLabel('ID shift').fill('malam');
    await dialog.getByLabel('Nama shift').fill('Shift malam');
    await dialog.getByLabel('Jam masuk', { exact: true }).fill('22:00');
    await dialog.getByLabel('Jam pulang', { exact: true }).fill('22:00');
    await dialog.getByRole('button', { name: 'Simpan' }).click();
    assert.match(await textOf(dialog, '[role=alert]', 'tidak valid'), /Shift tidak valid\./);
    await dialog.getByLabel('Jam pulang', { exact: true }).fill('07:00');
    await dialog.getByRole('button', { name: 'Simpan' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.match(await page.locator('tr[data-shift="malam"]').innerText(), /Shift malam\s+22:00–07:00 \(\+1 hari\)/);
    await shot(page, 'shifts');

    // The roster, from the employee's row.
    await page.getByRole('link', { name: 'Pegawai', exact: true }).click();
    await page.getByRole('link', { name: `Jadwal ${EMPLOYEE.name} (${EMPLOYEE.id})` }).click();
    await page.getByRole('heading', { name: `Jadwal ${EMPLOYEE.name} (${EMPLOYEE.id})`, level: 1 }).waitFor();
    await page.getByRole('cell', { name: /Belum ada jadwal/ }).waitFor();
    const add = async (from, to) => {
      await page.getByRole('button', { name: 'Tambah jadwal' }).click();
      const entry = page.getByRole('dialog', { name: `Tambah jadwal ${EMPLOYEE.name} (${EMPLOYEE.id})` });
      assert.equal(await entry.getByLabel('Shift').inputValue(), 'malam');
      await entry.getByLabel('Dari tanggal').fill(from);
      await entry.getByLabel('Sampai tanggal').fill(to);
      await entry.getByRole('button', { name: 'Tambah', exact: true }).click();
      return entry;
    };
    await (await add(dayFromNow(40), dayFromNow(46))).waitFor({ state: 'detached' });
    await page.getByRole('cell', { name: 'Shift malam, 22:00–07:00 (+1 hari)', exact: true }).waitFor();
    const overlap = await add(dayFromNow(45), dayFromNow(50));
    assert.match(await textOf(overlap, '[role=alert]', 'bertumpuk'), /Jadwal bertumpuk dengan jadwal lain pegawai ini\./);
    await overlap.getByRole('button', { name: 'Batal' }).click();
    await page.getByRole('button', { name: /^Hapus Shift malam/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Hapus' }).click();
    await page.getByRole('cell', { name: /Belum ada jadwal/ }).waitFor();

    // Back to the shifts: the shift is deleted.
    await page.getByRole('link', { name: '← Kembali ke shift' }).click();
    await page.getByRole('button', { name: 'Hapus Shift malam (malam)' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Hapus' }).click();
    await page.getByRole('cell', { name: 'Belum ada shift.' }).waitFor();
  });

  await step('deduction rules: buckets that do not increase are refused in words; a change is saved; the defaults come back', async () => {
    await page.getByRole('link', { name: 'Aturan potongan' }).click();
    await page.getByRole('heading', { name: 'Aturan potongan', level: 1 }).waitFor();
    const form = page.locator('form.rules-form');
    assert.equal(await form.getByLabel('Kelompok 2 sampai').inputValue(), '60');
    await form.getByLabel('Kelompok 2 sampai').fill('20');
    await form.getByRole('button', { name: 'Simpan' }).click();
    assert.match(await textOf(page, 'form.rules-form [role=alert]', 'tidak valid'), /Aturan potongan tidak valid\./);
    await form.getByLabel('Kelompok 2 sampai').fill('60');
    await form.getByLabel('Potongan TL2 (%)').fill('0.75');
    await form.getByLabel('Potongan TK per hari (%)').fill('2.5');
    await form.getByRole('button', { name: 'Simpan' }).click();
    await textOf(page, '#status', 'Aturan potongan disimpan');
    const admin = await apiLogin('admin', ADMIN_PASSWORD);
    const stored = await (await apiSend(admin.access_token, 'GET', 'attendance-rules')).json();
    assert.deepEqual([stored.late_deductions, stored.absent_deduction], [[0.5, 0.75, 1.25, 1.5], 2.5]);
    await shot(page, 'rules');
    await form.getByRole('button', { name: 'Kembalikan bawaan' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Kembalikan bawaan' }).click();
    await textOf(page, '#status', 'Aturan bawaan berlaku lagi');
    assert.equal(await form.getByLabel('Potongan TK per hari (%)').inputValue(), '3');
  });

  await step('an employee signs in to the console: their board, recap and requests only; as supervisor they approve; they file and withdraw', async () => {
    // The admin makes the account (with a password) and names it Rina's supervisor.
    await page.getByRole('link', { name: 'Pegawai', exact: true }).click();
    await page.getByRole('button', { name: 'Tambah pegawai' }).click();
    let dialog = page.getByRole('dialog', { name: 'Tambah pegawai' });
    await dialog.getByLabel('ID', { exact: true }).fill(SUPERVISOR.id);
    await dialog.getByLabel('Nama').fill(SUPERVISOR.name);
    await dialog.getByLabel('Kata sandi (opsional)').fill(SUPERVISOR.password);
    await dialog.getByRole('button', { name: 'Simpan' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: `Ubah ${RINA.name} (${RINA.id})` }).click();
    dialog = page.getByRole('dialog', { name: `Ubah ${RINA.name}` });
    assert.equal(await dialog.getByLabel('Nama').inputValue(), RINA.name);
    await dialog.getByLabel('ID atasan (opsional)').fill(SUPERVISOR.id);
    await dialog.getByRole('button', { name: 'Simpan' }).click();
    await dialog.waitFor({ state: 'detached' });
    await textOf(page, '#status', `${RINA.name} diperbarui`);
    // Rina asks for a day off through the API (as the mobile app would).
    const rina = await apiLogin(RINA.id, RINA.password);
    const filed = await apiSend(rina.access_token, 'POST', 'requests', { kind: 'excused', from: dayFromNow(3), reason: 'Urusan keluarga' });
    assert.equal(filed.status, 201);

    const own = await browser.newContext({ ...PLACE, viewport: { width: 1280, height: 900 } });
    const mine = watch(await own.newPage(), 'employee console');
    await mine.goto(`${base}/console/index.html#/employees`);
    await signIn(mine, SUPERVISOR.id, SUPERVISOR.password);
    // An admin's screen falls back to the board; the menu has the employee's screens only.
    await mine.getByRole('heading', { name: 'Papan harian', level: 1 }).waitFor();
    assert.match(mine.url(), /#\/board$/);
    assert.deepEqual(await mine.getByRole('navigation').getByRole('link').allInnerTexts(), ['Papan harian', 'Rekap bulanan', 'Pengajuan']);
    await textOf(mine, '#who', `Masuk sebagai ${SUPERVISOR.name} (Pegawai)`);
    await mine.locator(`tr[data-employee="${SUPERVISOR.id}"]`).waitFor(SLOW);
    await mine.locator(`tr[data-employee="${RINA.id}"]`).waitFor();
    assert.equal(await mine.locator(`tr[data-employee="${EMPLOYEE.id}"]`).count(), 0, 'not in the team');
    await shot(mine, 'employee-board');

    await mine.getByRole('link', { name: 'Rekap bulanan' }).click();
    await mine.locator(`tr[data-employee="${RINA.id}"]`).waitFor(SLOW);
    assert.equal(await mine.locator('.recap-table tbody tr').count(), 2, 'themself and their team');

    // As supervisor: Rina's request waits for them.
    await mine.getByRole('link', { name: 'Pengajuan' }).click();
    await mine.getByRole('button', { name: `Setujui: Izin, ${RINA.name} (${RINA.id})` }).click();
    await textOf(mine, '#status', 'Pengajuan disetujui');
    await mine.getByRole('cell', { name: 'Tidak ada pengajuan yang menunggu.' }).waitFor();

    // Their own leave: filed, refused in words when it overlaps or a correction is in the
    // future, then withdrawn.
    const fileLeave = async () => {
      await mine.getByRole('button', { name: 'Ajukan cuti atau koreksi' }).click();
      const leave = mine.getByRole('dialog', { name: 'Ajukan cuti atau koreksi' });
      assert.equal(await leave.getByLabel(/Untuk pegawai/).count(), 0, 'only admins file for others');
      await leave.getByLabel('Dari tanggal').fill(dayFromNow(10));
      await leave.getByLabel('Alasan').fill('Acara keluarga');
      await leave.getByRole('button', { name: 'Ajukan', exact: true }).click();
      return leave;
    };
    await (await fileLeave()).waitFor({ state: 'detached' });
    await textOf(mine, '#status', 'Pengajuan Cuti dikirim');
    const pending = mine.locator('tr[data-status="pending"]', { hasText: 'Acara keluarga' });
    assert.match(await pending.innerText(), /Cuti[\s\S]*Menunggu/);
    const again = await fileLeave();
    assert.match(await textOf(again, '[role=alert]', 'Sudah ada'), /Sudah ada pengajuan untuk hari-hari ini\./);
    await again.getByLabel('Jenis').selectOption('missed_check_in');
    await again.getByLabel('Waktu absen yang terlewat').fill(`${dayFromNow(2)}T08:00`);
    await again.getByRole('button', { name: 'Ajukan', exact: true }).click();
    assert.match(await textOf(again, '[role=alert]', 'masa depan'), /Waktu koreksi tidak boleh di masa depan\./);
    await again.getByRole('button', { name: 'Batal' }).click();
    await shot(mine, 'employee-requests');
    await pending.getByRole('button', { name: /^Tarik: Cuti/ }).click();
    await mine.getByRole('dialog').getByRole('button', { name: 'Tarik' }).click();
    await textOf(mine, '#status', 'Pengajuan ditarik');
    await mine.locator('tr[data-status="cancelled"]', { hasText: 'Acara keluarga' }).getByText('Ditarik').waitFor();
    await own.close();
  });

  await step('every main screen passes axe (no serious or critical violation)', async () => {
    const axeContext = await browser.newContext({ ...PLACE, bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const axePage = await axeContext.newPage();
    await axePage.goto(`${base}/console`);
    await axePage.getByRole('heading', { name: 'Masuk ke konsol' }).waitFor();
    await axe(axePage, 'sign-in');
    await signIn(axePage, 'admin', ADMIN_PASSWORD);
    // Signed in (the refresh cookie set) before the page is left.
    await axePage.getByRole('heading', { name: 'Pegawai', level: 1 }).waitFor();
    const screens = [
      ['#/employees', 'Pegawai'],
      [`#/employees/${EMPLOYEE.id}/faces`, `Wajah ${EMPLOYEE.name} (${EMPLOYEE.id})`],
      ['#/board', 'Papan harian'],
      ['#/recap', 'Rekap bulanan'],
      ['#/requests', 'Pengajuan'],
      ['#/audit', 'Log audit'],
      ['#/offices/main', 'Pengaturan kantor'],
      ['#/calendars/default', 'Kalender libur'],
      ['#/shifts', 'Shift dan jadwal'],
      [`#/employees/${EMPLOYEE.id}/roster`, `Jadwal ${EMPLOYEE.name} (${EMPLOYEE.id})`],
      ['#/rules', 'Aturan potongan'],
    ];
    for (const [hash, title] of screens) {
      await axePage.goto(`${base}/console/index.html${hash}`);
      await axePage.getByRole('heading', { name: title, level: 1 }).waitFor();
      await axePage.locator('main[aria-busy="false"]').waitFor();
      await axe(axePage, hash);
    }
    // Dialogs open over a screen.
    const dialogs = [
      ['#/employees', 'Tambah pegawai'],
      ['#/requests', 'Ajukan cuti atau koreksi'],
      ['#/calendars/default', 'Tambah periode khusus'],
      ['#/shifts', 'Tambah shift'],
    ];
    for (const [hash, button] of dialogs) {
      await axePage.goto(`${base}/console/index.html${hash}`);
      await axePage.locator('main[aria-busy="false"]').waitFor();
      await axePage.getByRole('button', { name: button }).click();
      await axePage.getByRole('dialog').waitFor();
      await axe(axePage, `${hash} dialog ${button}`);
    }
    await axeContext.close();

    // The screens of an employee (a supervisor).
    const employeeContext = await browser.newContext({ ...PLACE, bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const employeePage = await employeeContext.newPage();
    await employeePage.goto(`${base}/console`);
    await signIn(employeePage, SUPERVISOR.id, SUPERVISOR.password);
    for (const [hash, title] of [['#/board', 'Papan harian'], ['#/recap', 'Rekap bulanan'], ['#/requests', 'Pengajuan']]) {
      await employeePage.goto(`${base}/console/index.html${hash}`);
      await employeePage.getByRole('heading', { name: title, level: 1 }).waitFor();
      await employeePage.locator('main[aria-busy="false"]').waitFor();
      await axe(employeePage, `employee ${hash}`);
    }
    await employeeContext.close();
  });

  await step('sign-out ends the session, also after a reload', async () => {
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.getByRole('heading', { name: 'Masuk ke konsol' }).waitFor();
    await textOf(page, '#status', 'Anda telah keluar');
    await page.reload();
    await page.getByRole('heading', { name: 'Masuk ke konsol' }).waitFor();
    assert.equal(await page.locator('#who').innerText(), '');
  });

  await context.close();
  for (const note of axeNotes) t.diagnostic(note);
  t.diagnostic(`axe: ${axeNotes.length} minor or moderate violation(s), none serious or critical`);
  assert.deepEqual(problems, [], 'console errors, page errors or CSP violations');
});
