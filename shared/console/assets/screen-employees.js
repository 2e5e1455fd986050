// Employees: the list (pages of `GET /v1/employees`, filtered here by the search box), create,
// edit, suspend/reactivate and erase; links to each employee's faces and roster.

import { call, sendJson, currentSession } from './api.js';
import { h, field, select, heading, table, fillRows, pager, announce, announceError, confirmDialog, formDialog } from './dom.js';
import { t } from './i18n.js';

/** The role options of the forms. */
const roles = () => ['employee', 'admin', 'kiosk'].map((role) => [role, t(`role.${role}`)]);

/**
 * The inputs and labelled fields of the employee form: of a new employee (with the id, in
 * office `main`) when `e` is null, else filled from `e`.
 */
function employeeForm(e) {
  const isNew = !e;
  const value = (key) => (isNew ? '' : e[key] || '');
  const inputs = {
    id: isNew ? h('input', { name: 'id', required: true, maxlength: '64', pattern: '[A-Za-z0-9_\\-]{1,64}', autocomplete: 'off' }) : null,
    name: h('input', { name: 'name', value: value('name'), required: true, maxlength: '200', autocomplete: 'off' }),
    email: h('input', { name: 'email', type: 'email', value: value('email'), autocomplete: 'off' }),
    staff_number: h('input', { name: 'staff_number', value: value('staff_number'), autocomplete: 'off', inputmode: 'numeric' }),
    role: select(roles(), isNew ? 'employee' : e.role, { name: 'role' }),
    office_id: h('input', { name: 'office_id', value: isNew ? 'main' : e.office_id, required: true, autocomplete: 'off' }),
    supervisor_id: h('input', { name: 'supervisor_id', value: value('supervisor_id'), autocomplete: 'off' }),
    password: h('input', { name: 'password', type: 'password', autocomplete: 'new-password', minlength: '10', maxlength: '72' }),
  };
  const optional = (key) => `${t(key)} ${t('common.optional')}`;
  const fields = [
    isNew ? field(t('emp.id'), inputs.id, {}, t('emp.idHint')) : null,
    field(t('emp.name'), inputs.name),
    field(optional('emp.email'), inputs.email),
    field(optional('emp.staffNumber'), inputs.staff_number),
    field(t('emp.role'), inputs.role),
    field(t('emp.office'), inputs.office_id),
    field(optional('emp.supervisor'), inputs.supervisor_id),
    field(optional('emp.password'), inputs.password, {}, t(isNew ? 'emp.passwordHint' : 'emp.passwordKeep')),
  ];
  return { inputs, fields };
}

/** Renders the employees screen into `view`. */
export async function render(view) {
  const search = h('input', { type: 'search', autocomplete: 'off' });
  const count = h('p', { class: 'hint', 'aria-live': 'polite' });
  const body = h('tbody');
  const employees = pager('employees', draw);
  const list = table(t('emp.title'), [t('emp.id'), t('emp.name'), t('emp.staffNumber'), t('emp.role'), t('emp.office'), t('emp.status'), t('common.actions')], body);

  view.append(
    heading(t('emp.title')),
    h('div', { class: 'toolbar' },
      field(t('emp.searchLabel'), search),
      h('button', { type: 'button', class: 'primary', text: t('emp.new'), on: { click: () => create() } })),
    count,
    list,
    employees.button);

  function draw() {
    const words = search.value.trim().toLowerCase();
    const shown = employees.items.filter((e) => !words
      || [e.id, e.name, e.email, e.staff_number].some((v) => v && v.toLowerCase().includes(words)));
    fillRows(body, shown.map(row), 7);
    count.textContent = words
      ? t('common.shown', { shown: shown.length, loaded: employees.items.length })
      : t('emp.count', { n: employees.items.length });
  }

  function row(e) {
    const self = currentSession()?.employeeId === e.id;
    const who = `${e.name} (${e.id})`;
    const suspended = e.status === 'suspended';
    const link = (page, key) => h('a', { class: 'button small', href: `#/employees/${encodeURIComponent(e.id)}/${page}`, 'aria-label': `${t(key)} ${who}`, text: t(key) });
    return h('tr', {},
      h('td', {}, h('code', { text: e.id })),
      h('td', {}, e.name, e.email ? h('span', { class: 'sub', text: e.email }) : null),
      h('td', { text: e.staff_number || t('common.none') }),
      h('td', { text: t(`role.${e.role}`) }),
      h('td', { text: e.office_id }),
      h('td', {}, h('span', { class: `badge badge-${e.status}`, text: t(`status.${e.status}`) })),
      h('td', { class: 'actions' },
        h('button', { type: 'button', class: 'small', 'aria-label': `${t('common.edit')} ${who}`, text: t('common.edit'), on: { click: () => edit(e) } }),
        e.role === 'kiosk' ? null : [link('faces', 'emp.faces'), link('roster', 'emp.roster')],
        self ? null : h('button', {
          type: 'button',
          class: 'small',
          'aria-label': `${t(suspended ? 'emp.unsuspend' : 'emp.suspend')} ${who}`,
          text: t(suspended ? 'emp.unsuspend' : 'emp.suspend'),
          on: { click: () => setStatus(e, suspended ? 'active' : 'suspended') },
        }),
        self ? null : h('button', {
          type: 'button',
          class: 'small',
          'aria-label': `${t(e.role === 'kiosk' ? 'emp.unpair' : 'emp.endSessions')} ${who}`,
          text: t(e.role === 'kiosk' ? 'emp.unpair' : 'emp.endSessions'),
          on: { click: () => endSessions(e) },
        }),
        self ? null : h('button', { type: 'button', class: 'small danger', 'aria-label': `${t('common.delete')} ${who}`, text: t('common.delete'), on: { click: () => erase(e) } })));
  }

  function put(updated) {
    const at = employees.items.findIndex((e) => e.id === updated.id);
    if (at >= 0) employees.items[at] = updated;
    else employees.items.unshift(updated);
    draw();
  }

  async function create() {
    const { inputs, fields } = employeeForm(null);
    const created = await formDialog({
      title: t('emp.createTitle'),
      submitLabel: t('common.save'),
      fields,
      submit: () => {
        const body = { id: inputs.id.value.trim(), name: inputs.name.value.trim(), role: inputs.role.value };
        for (const key of ['email', 'staff_number', 'office_id', 'supervisor_id']) {
          const value = inputs[key].value.trim();
          if (value) body[key] = value;
        }
        if (inputs.password.value) body.password = inputs.password.value;
        return sendJson('POST', 'employees', body);
      },
    });
    if (created) {
      put(created);
      announce(t('emp.created', { name: created.name }), 'ok');
    }
  }

  async function edit(e) {
    const { inputs, fields } = employeeForm(e);
    const updated = await formDialog({
      title: t('emp.editTitle', { name: e.name }),
      submitLabel: t('common.save'),
      fields,
      submit: () => {
        // Only what changed is sent, guarded by the version read.
        const changes = { version: e.version };
        for (const key of ['name', 'email', 'staff_number', 'office_id']) {
          const value = inputs[key].value.trim();
          if (value && value !== (e[key] || '')) changes[key] = value;
        }
        const supervisor = inputs.supervisor_id.value.trim();
        if (supervisor !== (e.supervisor_id || '')) changes.supervisor_id = supervisor;
        if (inputs.role.value !== e.role) changes.role = inputs.role.value;
        if (inputs.password.value) changes.password = inputs.password.value;
        return sendJson('PATCH', `employees/${encodeURIComponent(e.id)}`, changes);
      },
    });
    if (updated) {
      put(updated);
      announce(t('emp.updated', { name: updated.name }), 'ok');
    }
  }

  async function setStatus(e, status) {
    try {
      const updated = await sendJson('PATCH', `employees/${encodeURIComponent(e.id)}`, { version: e.version, status });
      put(updated);
      announce(t(status === 'suspended' ? 'emp.suspended' : 'emp.unsuspended', { name: updated.name }), 'ok');
    } catch (err) {
      announceError(err);
    }
  }

  // Signs the account out on every device (a kiosk tablet is unpaired).
  async function endSessions(e) {
    const confirmed = await confirmDialog({
      title: t('emp.endSessionsTitle', { name: e.name }),
      body: h('p', { text: t(e.role === 'kiosk' ? 'emp.unpairIntro' : 'emp.endSessionsIntro', { name: e.name }) }),
      confirm: t(e.role === 'kiosk' ? 'emp.unpair' : 'emp.endSessions'),
      danger: true,
    });
    if (!confirmed) return;
    try {
      await call(`employees/${encodeURIComponent(e.id)}/sessions`, { method: 'DELETE' });
      announce(t('emp.sessionsEnded', { name: e.name }), 'ok');
    } catch (err) {
      announceError(err);
    }
  }

  async function erase(e) {
    const confirmed = await confirmDialog({
      title: t('emp.deleteTitle', { name: e.name }),
      body: [
        h('p', { text: t('emp.deleteIntro', { name: e.name, id: e.id }) }),
        h('ul', {}, ['emp.deleteTemplates', 'emp.deleteAttendance', 'emp.deleteRequests', 'emp.deleteTokens'].map((key) => h('li', { text: t(key) }))),
        h('p', { class: 'warning', text: t('emp.deleteWarn') }),
      ],
      confirm: t('emp.deleteConfirm'),
      danger: true,
    });
    if (!confirmed) return;
    try {
      await call(`employees/${encodeURIComponent(e.id)}`, { method: 'DELETE' });
      employees.items = employees.items.filter((x) => x.id !== e.id);
      draw();
      announce(t('emp.deleted', { name: e.name }), 'ok');
    } catch (err) {
      announceError(err);
    }
  }

  search.addEventListener('input', draw);
  await employees.load();
}
