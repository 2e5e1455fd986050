// Employees: the list (pages of `GET /v1/employees`, filtered here by the search box), create,
// edit, suspend/reactivate and erase.

import { call, getJson, sendJson, currentSession } from './api.js';
import { h, field, select, replace, heading, table, announce, announceError, confirmDialog, formDialog } from './dom.js';
import { t } from './i18n.js';

const PAGE = 100;

/** The role options of the forms. */
const roles = () => ['employee', 'admin', 'kiosk'].map((role) => [role, t(`role.${role}`)]);

/** Renders the employees screen into `view`. */
export async function render(view) {
  const search = h('input', { type: 'search', autocomplete: 'off' });
  const count = h('p', { class: 'hint', 'aria-live': 'polite' });
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true, text: t('common.loadMore') });
  const list = table(t('emp.title'), [t('emp.id'), t('emp.name'), t('emp.staffNumber'), t('emp.role'), t('emp.office'), t('emp.status'), t('common.actions')], body);

  view.append(
    heading(t('emp.title')),
    h('div', { class: 'toolbar' },
      field(t('emp.searchLabel'), search),
      h('button', { type: 'button', class: 'primary', text: t('emp.new'), on: { click: () => create() } })),
    count,
    list,
    more);

  let items = [];
  let cursor;

  function draw() {
    const words = search.value.trim().toLowerCase();
    const shown = items.filter((e) => !words
      || [e.id, e.name, e.email, e.staff_number].some((v) => v && v.toLowerCase().includes(words)));
    replace(body, shown.map(row));
    if (!shown.length) body.append(h('tr', {}, h('td', { colspan: '7', text: t('common.empty') })));
    count.textContent = words
      ? t('common.shown', { shown: shown.length, loaded: items.length })
      : t('emp.count', { n: items.length });
    more.hidden = !cursor;
  }

  async function load() {
    more.disabled = true;
    try {
      const page = await getJson('employees', { limit: PAGE, cursor });
      items = items.concat(page.items);
      cursor = page.next;
      draw();
    } catch (err) {
      announceError(err);
    } finally {
      more.disabled = false;
    }
  }

  function row(e) {
    const self = currentSession()?.employeeId === e.id;
    const who = `${e.name} (${e.id})`;
    const suspended = e.status === 'suspended';
    return h('tr', {},
      h('td', {}, h('code', { text: e.id })),
      h('td', {}, e.name, e.email ? h('span', { class: 'sub', text: e.email }) : null),
      h('td', { text: e.staff_number || t('common.none') }),
      h('td', { text: t(`role.${e.role}`) }),
      h('td', { text: e.office_id }),
      h('td', {}, h('span', { class: `badge badge-${e.status}`, text: t(`status.${e.status}`) })),
      h('td', { class: 'actions' },
        h('button', { type: 'button', class: 'small', 'aria-label': `${t('common.edit')} ${who}`, text: t('common.edit'), on: { click: () => edit(e) } }),
        e.role === 'kiosk' ? null
          : h('a', { class: 'button small', href: `#/employees/${encodeURIComponent(e.id)}/faces`, 'aria-label': `${t('emp.faces')} ${who}`, text: t('emp.faces') }),
        self ? null : h('button', {
          type: 'button',
          class: 'small',
          'aria-label': `${t(suspended ? 'emp.unsuspend' : 'emp.suspend')} ${who}`,
          text: t(suspended ? 'emp.unsuspend' : 'emp.suspend'),
          on: { click: () => setStatus(e, suspended ? 'active' : 'suspended') },
        }),
        self ? null : h('button', { type: 'button', class: 'small danger', 'aria-label': `${t('common.delete')} ${who}`, text: t('common.delete'), on: { click: () => erase(e) } })));
  }

  function put(updated) {
    const at = items.findIndex((e) => e.id === updated.id);
    if (at >= 0) items[at] = updated;
    else items.unshift(updated);
    draw();
  }

  async function create() {
    const inputs = {
      id: h('input', { name: 'id', required: true, maxlength: '64', pattern: '[A-Za-z0-9_\\-]{1,64}', autocomplete: 'off' }),
      name: h('input', { name: 'name', required: true, maxlength: '200', autocomplete: 'off' }),
      email: h('input', { name: 'email', type: 'email', autocomplete: 'off' }),
      staff_number: h('input', { name: 'staff_number', autocomplete: 'off', inputmode: 'numeric' }),
      role: select(roles(), 'employee', { name: 'role' }),
      office_id: h('input', { name: 'office_id', value: 'main', required: true, autocomplete: 'off' }),
      supervisor_id: h('input', { name: 'supervisor_id', autocomplete: 'off' }),
      password: h('input', { name: 'password', type: 'password', autocomplete: 'new-password', minlength: '10', maxlength: '72' }),
    };
    const created = await formDialog({
      title: t('emp.createTitle'),
      submitLabel: t('common.save'),
      fields: [
        field(t('emp.id'), inputs.id, {}, t('emp.idHint')),
        field(t('emp.name'), inputs.name),
        field(`${t('emp.email')} ${t('common.optional')}`, inputs.email),
        field(`${t('emp.staffNumber')} ${t('common.optional')}`, inputs.staff_number),
        field(t('emp.role'), inputs.role),
        field(t('emp.office'), inputs.office_id),
        field(`${t('emp.supervisor')} ${t('common.optional')}`, inputs.supervisor_id),
        field(`${t('emp.password')} ${t('common.optional')}`, inputs.password, {}, t('emp.passwordHint')),
      ],
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
    const inputs = {
      name: h('input', { name: 'name', value: e.name, required: true, maxlength: '200', autocomplete: 'off' }),
      email: h('input', { name: 'email', type: 'email', value: e.email || '', autocomplete: 'off' }),
      staff_number: h('input', { name: 'staff_number', value: e.staff_number || '', autocomplete: 'off' }),
      role: select(roles(), e.role, { name: 'role' }),
      office_id: h('input', { name: 'office_id', value: e.office_id, required: true, autocomplete: 'off' }),
      supervisor_id: h('input', { name: 'supervisor_id', value: e.supervisor_id || '', autocomplete: 'off' }),
      password: h('input', { name: 'password', type: 'password', autocomplete: 'new-password', minlength: '10', maxlength: '72' }),
    };
    const updated = await formDialog({
      title: t('emp.editTitle', { name: e.name }),
      submitLabel: t('common.save'),
      fields: [
        field(t('emp.name'), inputs.name),
        field(`${t('emp.email')} ${t('common.optional')}`, inputs.email),
        field(`${t('emp.staffNumber')} ${t('common.optional')}`, inputs.staff_number),
        field(t('emp.role'), inputs.role),
        field(t('emp.office'), inputs.office_id),
        field(`${t('emp.supervisor')} ${t('common.optional')}`, inputs.supervisor_id),
        field(`${t('emp.password')} ${t('common.optional')}`, inputs.password, {}, t('emp.passwordKeep')),
      ],
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
      items = items.filter((x) => x.id !== e.id);
      draw();
      announce(t('emp.deleted', { name: e.name }), 'ok');
    } catch (err) {
      announceError(err);
    }
  }

  search.addEventListener('input', draw);
  more.addEventListener('click', load);
  await load();
}
