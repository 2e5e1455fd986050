// One employee's roster (`/v1/employees/{id}/roster`): entries giving a shift (or days off)
// from one date to another, which take the place of the office's week and holidays on those
// days; listed, added and deleted. Two entries of an employee never share a day.

import { call, getJson, sendJson } from './api.js';
import { h, field, select, heading, table, fillRows, announce, announceError, confirmDialog, formDialog, formatDate } from './dom.js';
import { t } from './i18n.js';
import { describeShift } from './schedule-form.js';

const DAYS_OFF = ''; // the shift option that gives days off

/** Renders the roster of employee `id` into `view`. */
export async function render(view, id) {
  const path = `employees/${encodeURIComponent(id)}/roster`;
  let who = id; // the employee's name and id once read
  const title = heading(t('roster.title', { name: who }));
  const body = h('tbody');
  view.append(h('p', { class: 'back' }, h('a', { href: '#/shifts', text: `← ${t('roster.back')}` })), title,
    h('p', { class: 'hint', text: t('roster.intro') }),
    h('div', { class: 'buttons start' },
      h('button', { type: 'button', class: 'primary', text: t('roster.add'), on: { click: () => add() } })),
    table(t('roster.tableTitle'), [t('common.from'), t('common.to'), t('roster.shift'), t('common.actions')], body));

  let shifts = new Map();
  const shiftText = (shiftId) => {
    if (!shiftId) return t('roster.daysOff');
    const shift = shifts.get(shiftId);
    return shift ? `${shift.name}, ${describeShift(shift)}` : shiftId;
  };

  async function load() {
    try {
      const [entries, known] = await Promise.all([getJson(path), getJson('shifts')]);
      shifts = new Map(known.items.map((s) => [s.id, s]));
      const sorted = [...entries.items].sort((a, b) => a.from.localeCompare(b.from));
      fillRows(body, sorted.map(row), 4, t('roster.none'));
    } catch (err) {
      announceError(err);
    }
  }

  function row(entry) {
    const what = `${shiftText(entry.shift_id)}, ${formatDate(entry.from)} – ${formatDate(entry.to)}`;
    return h('tr', { dataset: { entry: entry.id } },
      h('td', { text: formatDate(entry.from) }),
      h('td', { text: formatDate(entry.to) }),
      h('td', { text: shiftText(entry.shift_id) }),
      h('td', { class: 'actions' },
        h('button', { type: 'button', class: 'small danger', 'aria-label': `${t('common.delete')} ${what}`, text: t('common.delete'), on: { click: () => remove(entry, what) } })));
  }

  async function add() {
    const options = [...shifts.keys()].map((shiftId) => [shiftId, shiftText(shiftId)]);
    options.push([DAYS_OFF, t('roster.daysOff')]);
    const shift = select(options, options[0][0], { name: 'shift_id' });
    const from = h('input', { name: 'from', type: 'date', required: true });
    const to = h('input', { name: 'to', type: 'date', required: true });
    const added = await formDialog({
      title: t('roster.addTitle', { name: who }),
      submitLabel: t('roster.addSubmit'),
      fields: [
        field(t('roster.shift'), shift, {}, t('roster.shiftHint')),
        h('div', { class: 'form-grid' }, field(t('common.from'), from), field(t('common.to'), to)),
      ],
      submit: () => {
        const entry = { from: from.value, to: to.value };
        if (shift.value !== DAYS_OFF) entry.shift_id = shift.value;
        return sendJson('POST', path, entry);
      },
    });
    if (added) {
      announce(t('roster.added'), 'ok');
      await load();
    }
  }

  async function remove(entry, what) {
    const confirmed = await confirmDialog({ title: t('roster.deleteTitle', { what }), body: null, confirm: t('common.delete'), danger: true });
    if (!confirmed) return;
    try {
      await call(`${path}/${encodeURIComponent(entry.id)}`, { method: 'DELETE' });
      announce(t('roster.deleted'), 'ok');
      await load();
    } catch (err) {
      announceError(err);
    }
  }

  try {
    const employee = await getJson(`employees/${encodeURIComponent(id)}`);
    who = `${employee.name} (${employee.id})`;
    title.textContent = t('roster.title', { name: who });
  } catch (err) {
    announceError(err);
    return;
  }
  await load();
}
