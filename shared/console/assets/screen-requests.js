// Requests: those waiting for the caller's decision (`GET /v1/requests/waiting`, oldest first:
// approve, or reject with a reason), the caller's own (`GET /v1/requests`: withdraw a pending
// one), and filing a new one (`POST /v1/requests`); an admin may file for another employee, a
// manual entry approved at once. A request's document opens through its short-lived link.

import { getJson, getAll, sendJson, currentSession } from './api.js';
import { h, field, select, heading, table, fillRows, announce, announceError, confirmDialog, formDialog, formatDate, formatDateTime } from './dom.js';
import { t } from './i18n.js';

const LEAVE_KINDS = ['leave', 'excused', 'sick', 'official_duty'];
const CORRECTION_KINDS = ['missed_check_in', 'missed_check_out', 'other_correction'];

const kindText = (kind) => t(`req.kind.${kind}`);

/** The date (or dates) of a leave, or the time of a corrected punch, in words. */
function when(request) {
  if (request.at) return formatDateTime(request.at);
  return request.from === request.to ? formatDate(request.from) : `${formatDate(request.from)} – ${formatDate(request.to)}`;
}

/** The reason, with the reference under it. */
function reasonCell(request) {
  return h('td', {}, request.reason, request.reference ? h('span', { class: 'sub', text: `${t('req.reference')}: ${request.reference}` }) : null);
}

// Names of the employees the caller reads, to show who asked (requests carry only the id): an
// admin's employee list, or for an employee their office's board (themselves and their team).
async function employeeNames() {
  try {
    const people = currentSession()?.role === 'admin'
      ? await getAll('employees', { limit: 100 })
      : (await getJson('reports/board')).entries.map((e) => ({ id: e.employee_id, name: e.name }));
    return new Map(people.map((e) => [e.id, e.name]));
  } catch {
    return new Map(); // the ids are shown instead
  }
}

/** Renders the requests screen into `view`. */
export async function render(view) {
  const isAdmin = currentSession()?.role === 'admin';
  const waitingBody = h('tbody');
  const mineBody = h('tbody');
  view.append(heading(t('req.title')),
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'primary', text: t('req.new'), on: { click: () => file() } }),
      h('button', { type: 'button', class: 'secondary', text: t('common.refresh'), on: { click: () => load() } })),
    h('section', { class: 'card' },
      h('h2', { text: t('req.waitingTitle') }),
      table(t('req.waitingTitle'), [t('req.employee'), t('req.kind'), t('req.when'), t('req.reason'), t('req.filed'), t('req.document'), t('common.actions')], waitingBody)),
    h('section', { class: 'card' },
      h('h2', { text: t('req.mineTitle') }),
      table(t('req.mineTitle'), [t('req.kind'), t('req.when'), t('req.reason'), t('req.status'), t('req.filed'), t('req.document'), t('common.actions')], mineBody)));

  let names = new Map();
  const nameOf = (id) => (names.has(id) ? `${names.get(id)} (${id})` : id);

  function documentCell(request) {
    return h('td', {}, request.attachment
      ? h('button', { type: 'button', class: 'small secondary', text: t('req.openDocument'), on: { click: () => openDocument(request) } })
      : t('common.none'));
  }

  function waitingRow(request) {
    const who = nameOf(request.employee_id);
    return h('tr', {},
      h('td', { text: who }),
      h('td', { text: kindText(request.kind) }),
      h('td', { text: when(request) }),
      reasonCell(request),
      h('td', { text: formatDateTime(request.filed_at) }),
      documentCell(request),
      h('td', { class: 'actions' },
        h('button', { type: 'button', class: 'small', 'aria-label': `${t('req.approve')}: ${kindText(request.kind)}, ${who}`, text: t('req.approve'), on: { click: () => approve(request) } }),
        h('button', { type: 'button', class: 'small danger', 'aria-label': `${t('req.reject')}: ${kindText(request.kind)}, ${who}`, text: t('req.reject'), on: { click: () => reject(request) } })));
  }

  function mineRow(request) {
    return h('tr', { dataset: { request: request.id, status: request.status } },
      h('td', { text: kindText(request.kind) }),
      h('td', { text: when(request) }),
      reasonCell(request),
      h('td', {},
        h('span', { class: `badge badge-${request.status}`, text: t(`req.status.${request.status}`) }),
        request.decision_note ? h('span', { class: 'sub', text: `${t('req.note')}: ${request.decision_note}` }) : null),
      h('td', { text: formatDateTime(request.filed_at) }),
      documentCell(request),
      h('td', { class: 'actions' }, request.status === 'pending'
        ? h('button', { type: 'button', class: 'small danger', 'aria-label': `${t('req.cancel')}: ${kindText(request.kind)}, ${when(request)}`, text: t('req.cancel'), on: { click: () => cancel(request) } })
        : null));
  }

  async function load() {
    try {
      const [waiting, mine, known] = await Promise.all([getJson('requests/waiting'), getJson('requests'), employeeNames()]);
      names = known;
      fillRows(waitingBody, waiting.items.map(waitingRow), 7, t('req.none'));
      // The newest first.
      const own = [...mine.items].sort((a, b) => b.filed_at.localeCompare(a.filed_at));
      fillRows(mineBody, own.map(mineRow), 7, t('req.noneMine'));
    } catch (err) {
      announceError(err);
    }
  }

  async function approve(request) {
    try {
      await sendJson('POST', `requests/${encodeURIComponent(request.id)}/approve`);
      announce(t('req.approved'), 'ok');
      await load();
    } catch (err) {
      announceError(err);
    }
  }

  async function reject(request) {
    const reason = h('textarea', { name: 'reason', required: true, maxlength: '500', rows: '3' });
    const done = await formDialog({
      title: t('req.rejectTitle', { kind: kindText(request.kind), name: nameOf(request.employee_id) }),
      submitLabel: t('req.reject'),
      fields: [field(t('req.rejectReason'), reason)],
      submit: () => sendJson('POST', `requests/${encodeURIComponent(request.id)}/reject`, { reason: reason.value.trim() }),
    });
    if (done) {
      announce(t('req.rejected'), 'ok');
      await load();
    }
  }

  async function cancel(request) {
    const confirmed = await confirmDialog({
      title: t('req.cancelTitle', { kind: kindText(request.kind), when: when(request) }),
      body: h('p', { text: t('req.cancelBody') }),
      confirm: t('req.cancel'),
      danger: true,
    });
    if (!confirmed) return;
    try {
      await sendJson('POST', `requests/${encodeURIComponent(request.id)}/cancel`);
      announce(t('req.cancelled'), 'ok');
      await load();
    } catch (err) {
      announceError(err);
    }
  }

  // The filing form: a leave gives its first and last day, a correction the punch time.
  async function file() {
    const inputs = {
      employee: isAdmin ? h('input', { name: 'employee_id', autocomplete: 'off', maxlength: '64', pattern: '[A-Za-z0-9_\\-]{1,64}' }) : null,
      kind: select([...LEAVE_KINDS, ...CORRECTION_KINDS].map((kind) => [kind, kindText(kind)]), 'leave', { name: 'kind' }),
      from: h('input', { name: 'from', type: 'date', required: true }),
      to: h('input', { name: 'to', type: 'date' }),
      at: h('input', { name: 'at', type: 'datetime-local' }),
      reason: h('textarea', { name: 'reason', required: true, maxlength: '500', rows: '3' }),
      reference: h('input', { name: 'reference', autocomplete: 'off' }),
    };
    const leaveFields = [field(t('common.from'), inputs.from), field(`${t('common.to')} ${t('common.optional')}`, inputs.to, {}, t('req.toHint'))];
    const correctionField = field(t('req.at'), inputs.at, {}, t('req.atHint'));
    // The fields of the other sort of request are hidden and disabled (not checked, not sent).
    function showKind() {
      const correction = CORRECTION_KINDS.includes(inputs.kind.value);
      for (const block of leaveFields) block.hidden = correction;
      correctionField.hidden = !correction;
      inputs.from.disabled = correction;
      inputs.to.disabled = correction;
      inputs.at.disabled = !correction;
      inputs.at.required = correction;
    }
    inputs.kind.addEventListener('change', showKind);
    showKind();
    const filed = await formDialog({
      title: t('req.newTitle'),
      submitLabel: t('req.submit'),
      fields: [
        inputs.employee ? field(`${t('req.for')} ${t('common.optional')}`, inputs.employee, {}, t('req.forHint')) : null,
        field(t('req.kind'), inputs.kind),
        leaveFields,
        correctionField,
        field(t('req.reason'), inputs.reason),
        field(`${t('req.reference')} ${t('common.optional')}`, inputs.reference, {}, t('req.referenceHint')),
      ],
      submit: () => {
        const body = { kind: inputs.kind.value, reason: inputs.reason.value.trim() };
        if (CORRECTION_KINDS.includes(body.kind)) {
          // The browser's local time, sent as UTC.
          body.at = new Date(inputs.at.value).toISOString();
        } else {
          body.from = inputs.from.value;
          if (inputs.to.value) body.to = inputs.to.value;
        }
        const reference = inputs.reference.value.trim();
        if (reference) body.reference = reference;
        const employee = inputs.employee?.value.trim();
        if (employee) body.employee_id = employee;
        return sendJson('POST', 'requests', body);
      },
    });
    if (!filed) return;
    announce(filed.status === 'approved'
      ? t('req.filedFor', { kind: kindText(filed.kind), name: nameOf(filed.employee_id) })
      : t('req.filedOk', { kind: kindText(filed.kind) }), 'ok');
    await load();
  }

  async function openDocument(request) {
    try {
      const link = await getJson(`requests/${encodeURIComponent(request.id)}/attachment`);
      window.open(link.url, '_blank', 'noopener');
    } catch (err) {
      announceError(err);
    }
  }

  await load();
}
