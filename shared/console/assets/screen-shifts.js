// Shifts (`/v1/shifts`): the named working periods rosters assign (e.g. a night shift
// 22:00-07:00), listed, created or replaced, and deleted; and the way to an employee's roster.

import { call, getJson, sendJson } from './api.js';
import { h, field, heading, table, fillRows, announce, announceError, confirmDialog, formDialog, ID_PATTERN } from './dom.js';
import { t } from './i18n.js';
import { hoursFields, describeShift } from './schedule-form.js';


/** Renders the shifts screen into `view`. */
export async function render(view) {
  const body = h('tbody');
  const employee = h('input', { name: 'employee_id', required: true, autocomplete: 'off', maxlength: '64', pattern: ID_PATTERN });
  const rosterPicker = h('form', { class: 'toolbar' },
    field(t('roster.employee'), employee),
    h('button', { type: 'submit', class: 'primary', text: t('roster.open') }));
  view.append(heading(t('shift.title')),
    h('section', { class: 'card' },
      h('h2', { text: t('shift.listTitle') }),
      h('p', { class: 'hint', text: t('shift.intro') }),
      h('div', { class: 'buttons start' },
        h('button', { type: 'button', class: 'primary', text: t('shift.add'), on: { click: () => edit(null) } })),
      table(t('shift.listTitle'), [t('shift.id'), t('shift.name'), t('shift.hours'), t('schedule.grace'), t('shift.windows'), t('common.actions')], body)),
    h('section', { class: 'card' },
      h('h2', { text: t('roster.openTitle') }),
      h('p', { class: 'hint', text: t('roster.openHint') }),
      rosterPicker));

  async function load() {
    try {
      const shifts = await getJson('shifts');
      fillRows(body, shifts.items.map(row), 6, t('shift.none'));
    } catch (err) {
      announceError(err);
    }
  }

  function row(shift) {
    const what = `${shift.name} (${shift.id})`;
    return h('tr', { dataset: { shift: shift.id } },
      h('td', {}, h('code', { text: shift.id })),
      h('td', { text: shift.name }),
      h('td', { text: describeShift(shift) }),
      h('td', { class: 'num', text: shift.grace_minutes }),
      h('td', { text: t('shift.windowsText', { earliest: shift.earliest_check_in_minutes, latest: shift.latest_check_out_minutes }) }),
      h('td', { class: 'actions' },
        h('button', { type: 'button', class: 'small', 'aria-label': `${t('common.edit')} ${what}`, text: t('common.edit'), on: { click: () => edit(shift) } }),
        h('button', { type: 'button', class: 'small danger', 'aria-label': `${t('common.delete')} ${what}`, text: t('common.delete'), on: { click: () => remove(shift) } })));
  }

  // A new shift, or `shift` changed (its id is its key).
  async function edit(shift) {
    const id = h('input', { name: 'id', required: true, maxlength: '64', pattern: ID_PATTERN, autocomplete: 'off', value: shift?.id, readonly: Boolean(shift) });
    const name = h('input', { name: 'name', required: true, maxlength: '100', autocomplete: 'off', value: shift?.name });
    const hours = hoursFields(shift || { start: '07:00', end: '15:00' }, t('shift.endHint'));
    const saved = await formDialog({
      title: shift ? t('shift.editTitle', { name: shift.name }) : t('shift.addTitle'),
      submitLabel: t('common.save'),
      fields: [
        field(t('shift.id'), id, {}, shift ? '' : t('shift.idHint')),
        field(t('shift.name'), name),
        h('div', { class: 'form-grid' }, hours.times),
        h('div', { class: 'form-grid' }, hours.windows),
      ],
      submit: () => sendJson('PUT', `shifts/${encodeURIComponent(id.value.trim())}`, { name: name.value.trim(), ...hours.read() }),
    });
    if (saved) {
      announce(t('shift.saved', { name: saved.name }), 'ok');
      await load();
    }
  }

  async function remove(shift) {
    const confirmed = await confirmDialog({
      title: t('shift.deleteTitle', { name: shift.name }),
      body: h('p', { text: t('shift.deleteBody') }),
      confirm: t('common.delete'),
      danger: true,
    });
    if (!confirmed) return;
    try {
      await call(`shifts/${encodeURIComponent(shift.id)}`, { method: 'DELETE' });
      announce(t('shift.deleted', { name: shift.name }), 'ok');
      await load();
    } catch (err) {
      announceError(err);
    }
  }

  rosterPicker.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/employees/${encodeURIComponent(employee.value.trim())}/roster`;
  });
  await load();
}
