// Enrollment of one employee's face: photos chosen from files or taken with the webcam are sent
// one by one to `POST /v1/employees/{id}/faces`, each with its result in words; the employee's
// templates are listed with delete; a photo held as a possible duplicate is decided here.

import { call, getJson, sendJson } from './api.js';
import { h, field, replace, heading, table, announce, announceError, confirmDialog, showDialog, newId, formatDateTime, formatNumber } from './dom.js';
import { t, codeText, describeError } from './i18n.js';

/** Renders the enrollment screen of employee `id` into `view`; returns its cleanup. */
export async function render(view, id) {
  const path = `employees/${encodeURIComponent(id)}`;
  const title = heading(t('enroll.title', { name: id }));
  view.append(h('p', { class: 'back' }, h('a', { href: '#/employees', text: `← ${t('enroll.back')}` })), title);

  // Photos waiting to be sent: {name, blob, url} (url: the thumbnail's blob URL).
  let pending = [];
  let cameraShots = 0;
  const forget = (photo) => URL.revokeObjectURL(photo.url);

  const files = h('input', { type: 'file', name: 'photos', multiple: true, accept: 'image/jpeg,image/png,image/webp' });
  const printed = h('input', { type: 'checkbox', name: 'accept_printed', id: newId('printed') });
  const pendingList = h('ul', { class: 'thumbs' });
  const send = h('button', { type: 'submit', class: 'primary', text: t('enroll.send') });
  const results = h('ol', { class: 'results' });
  const resultsSection = h('section', { class: 'card', hidden: true },
    h('h2', { text: t('enroll.resultsTitle') }), results);
  const templatesBody = h('tbody');

  const form = h('form', { class: 'card enroll-form', 'aria-labelledby': 'enroll-add-title' },
    h('h2', { id: 'enroll-add-title', text: t('enroll.addTitle') }),
    field(t('enroll.files'), files),
    h('div', { class: 'check' }, printed, h('label', { for: printed.id, text: t('enroll.printed') })),
    h('div', { class: 'buttons start' },
      h('button', { type: 'button', class: 'secondary', text: t('enroll.camera'), on: { click: () => camera() } }),
      send),
    pendingList);

  view.append(form, resultsSection,
    h('section', { class: 'card' },
      h('h2', { text: t('enroll.templatesTitle') }),
      table(t('enroll.templatesTitle'), [t('enroll.templateId'), t('enroll.created'), t('enroll.faceWidth'), t('enroll.sharpness'), t('common.actions')], templatesBody)));

  function drawPending() {
    replace(pendingList, pending.map((photo) => h('li', {},
      h('img', { src: photo.url, alt: photo.name, width: '96', height: '96' }),
      h('span', { class: 'thumb-name', text: photo.name }),
      h('button', {
        type: 'button',
        class: 'small secondary',
        'aria-label': t('enroll.remove', { file: photo.name }),
        text: '×',
        on: { click: () => { forget(photo); pending = pending.filter((p) => p !== photo); drawPending(); } },
      }))));
  }

  function addPhoto(name, blob) {
    pending.push({ name, blob, url: URL.createObjectURL(blob) });
    drawPending();
  }

  files.addEventListener('change', () => {
    for (const file of files.files) addPhoto(file.name, file);
    files.value = '';
  });

  // One result line: the file, the outcome in words, and for a held photo the decision buttons.
  function resultItem(name, outcome) {
    const item = h('li', { class: `result result-${outcome.status}` });
    const say = (word, detail) => item.append(h('strong', { text: `${name}: ${word}` }), h('span', { text: ` — ${detail}` }));
    if (outcome.status === 'accepted') {
      say(t('enroll.accepted'), t('enroll.acceptedDetail', { id: outcome.template_id }));
    } else if (outcome.status === 'flagged') {
      say(t('enroll.flagged'), t('enroll.flaggedDetail', { other: outcome.other_employee, score: formatNumber(outcome.score, 2) }));
      const decide = (decision) => async () => {
        try {
          const job = await sendJson('POST', 'enrollments/resolve', { review_key: outcome.review_key, decision });
          replace(buttons, t('enroll.resolved', { status: job.status === 'accepted' ? t('enroll.accepted') : t('enroll.rejected') }));
          await loadTemplates();
        } catch (err) {
          announceError(err);
        }
      };
      const buttons = h('div', { class: 'buttons start' },
        h('button', { type: 'button', class: 'small', text: t('enroll.samePerson'), on: { click: decide('same_person') } }),
        h('button', { type: 'button', class: 'small', text: t('enroll.differentPeople'), on: { click: decide('different_people') } }));
      item.append(buttons);
    } else {
      // A refusal: the code in plain words (or, for a failed request, its error in words).
      say(t('enroll.rejected'), outcome.words || codeText(outcome.code) || outcome.message);
    }
    return item;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!pending.length) {
      announce(t('enroll.nothing'), 'error');
      return;
    }
    send.disabled = true;
    replace(results);
    resultsSection.hidden = false;
    const tally = { accepted: 0, rejected: 0, flagged: 0 };
    // One request per photo, so each gets its own answer even when one fails as a whole.
    for (const photo of pending) {
      announce(t('enroll.sending', { file: photo.name }));
      const data = new FormData();
      data.append('photo', photo.blob, photo.name);
      if (printed.checked) data.append('accept_printed', 'true');
      let outcome;
      try {
        const answer = await (await call(`${path}/faces`, { method: 'POST', form: data })).json();
        outcome = answer.results[0];
      } catch (err) {
        if (err && err.name === 'SignedOut') break;
        outcome = { status: 'rejected', words: describeError(err) };
      }
      tally[outcome.status] += 1;
      results.append(resultItem(photo.name, outcome));
    }
    pending.forEach(forget);
    pending = [];
    drawPending();
    send.disabled = false;
    announce(t('enroll.summary', { accepted: tally.accepted, refused: tally.rejected, flagged: tally.flagged }), tally.rejected ? 'error' : 'ok');
    await loadTemplates();
  });

  // The webcam in a dialog: each capture is added to the photos to send.
  async function camera() {
    const titleId = newId('cam');
    const video = h('video', { autoplay: true, muted: true, playsinline: true, class: 'camera-preview' });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const capture = h('button', { type: 'button', class: 'primary', text: t('enroll.capture'), disabled: true });
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId },
      h('h2', { id: titleId, text: t('enroll.cameraTitle') }),
      video,
      error,
      h('div', { class: 'buttons' },
        h('button', { type: 'button', class: 'secondary', text: t('common.close'), on: { click: () => dialog.close() } }),
        capture));
    let stream = null;
    capture.addEventListener('click', () => {
      const canvas = document.createElement('canvas');
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext('2d').drawImage(video, 0, 0);
      canvas.toBlob((blob) => {
        cameraShots += 1;
        addPhoto(`${t('enroll.captured', { n: cameraShots })}.jpg`, blob);
        announce(t('enroll.captured', { n: cameraShots }), 'ok');
      }, 'image/jpeg', 0.92);
    });
    const closed = showDialog(dialog);
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } } });
      video.srcObject = stream;
      capture.disabled = false;
    } catch (err) {
      error.textContent = t('enroll.cameraError', { reason: err.name || err.message });
    }
    await closed;
    if (stream) stream.getTracks().forEach((track) => track.stop());
  }

  async function loadTemplates() {
    try {
      const answer = await getJson(`${path}/faces`);
      replace(templatesBody, answer.items.map((tpl) => h('tr', {},
        h('td', {}, h('code', { text: tpl.id })),
        h('td', { text: formatDateTime(tpl.created_at) }),
        h('td', { text: formatNumber(tpl.quality.face_width) }),
        h('td', { text: formatNumber(tpl.quality.sharpness) }),
        h('td', {}, h('button', {
          type: 'button',
          class: 'small danger',
          'aria-label': `${t('common.delete')} ${tpl.id}`,
          text: t('common.delete'),
          on: { click: () => removeTemplate(tpl.id) },
        })))));
      if (!answer.items.length) templatesBody.append(h('tr', {}, h('td', { colspan: '5', text: t('enroll.noTemplates') })));
    } catch (err) {
      announceError(err);
    }
  }

  async function removeTemplate(template) {
    const confirmed = await confirmDialog({
      title: t('enroll.deleteTemplateTitle', { id: template }),
      body: h('p', { text: t('enroll.deleteTemplateBody') }),
      confirm: t('common.delete'),
      danger: true,
    });
    if (!confirmed) return;
    try {
      await call(`${path}/faces/${encodeURIComponent(template)}`, { method: 'DELETE' });
      announce(t('enroll.templateDeleted'), 'ok');
      await loadTemplates();
    } catch (err) {
      announceError(err);
    }
  }

  try {
    const employee = await getJson(path);
    title.textContent = t('enroll.title', { name: `${employee.name} (${employee.id})` });
  } catch (err) {
    announceError(err);
    return () => {};
  }
  await loadTemplates();
  return () => pending.forEach(forget);
}
