// Requests waiting for a decision (`GET /v1/requests/waiting`), oldest first: approve, or
// reject with a reason; a request's document opens through its short-lived link.

import { getJson, getAll, sendJson } from './api.js';
import { h, field, replace, heading, table, announce, announceError, formDialog, formatDate, formatDateTime } from './dom.js';
import { t } from './i18n.js';

/** Renders the waiting requests into `view`. */
export async function render(view) {
  const body = h('tbody');
  view.append(heading(t('req.title')),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', class: 'secondary', text: t('common.refresh'), on: { click: () => load() } })),
    table(t('req.title'), [t('req.employee'), t('req.kind'), t('req.when'), t('req.reason'), t('req.filed'), t('req.document'), t('common.actions')], body));

  // Names of the employees, to show who asked (requests carry only the id).
  let names = new Map();

  const kindText = (kind) => t(`req.kind.${kind}`);
  const nameOf = (id) => (names.has(id) ? `${names.get(id)} (${id})` : id);

  function when(request) {
    if (request.at) return formatDateTime(request.at);
    return request.from === request.to ? formatDate(request.from) : `${formatDate(request.from)} – ${formatDate(request.to)}`;
  }

  function row(request) {
    const who = nameOf(request.employee_id);
    return h('tr', {},
      h('td', { text: who }),
      h('td', { text: kindText(request.kind) }),
      h('td', { text: when(request) }),
      h('td', {}, request.reason, request.reference ? h('span', { class: 'sub', text: `${t('req.reference')}: ${request.reference}` }) : null),
      h('td', { text: formatDateTime(request.filed_at) }),
      h('td', {}, request.attachment
        ? h('button', { type: 'button', class: 'small secondary', text: t('req.openDocument'), on: { click: () => openDocument(request) } })
        : t('common.none')),
      h('td', { class: 'actions' },
        h('button', { type: 'button', class: 'small', 'aria-label': `${t('req.approve')}: ${kindText(request.kind)}, ${who}`, text: t('req.approve'), on: { click: () => approve(request) } }),
        h('button', { type: 'button', class: 'small danger', 'aria-label': `${t('req.reject')}: ${kindText(request.kind)}, ${who}`, text: t('req.reject'), on: { click: () => reject(request) } })));
  }

  async function load() {
    try {
      const [waiting, employees] = await Promise.all([getJson('requests/waiting'), getAll('employees', { limit: 100 })]);
      names = new Map(employees.map((e) => [e.id, e.name]));
      replace(body, waiting.items.map(row));
      if (!waiting.items.length) body.append(h('tr', {}, h('td', { colspan: '7', text: t('req.none') })));
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
