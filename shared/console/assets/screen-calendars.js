// Holiday calendars (`/v1/calendars/{calendar}/...`): pick a calendar (`default`, the one of
// every office, or an office's own) and a year; its holidays are listed, added or replaced
// (one per date), deleted and imported from CSV text; its special periods (dates with other
// working hours, e.g. Ramadan) are listed, added or replaced with their week, and deleted.
// The route `#/calendars/{id}` reopens the calendar last shown.

import { call, getJson, sendJson } from './api.js';
import { h, field, select, heading, table, fillRows, announce, announceError, confirmDialog, formDialog, formatDate, ID_PATTERN } from './dom.js';
import { t } from './i18n.js';
import { weekFields, describeWeek, standardWeek } from './schedule-form.js';

const KINDS = ['national', 'collective_leave', 'local'];
const YEARS = { min: 2000, max: 2100 }; // the years the server keeps calendars for

// The calendar and year shown last, kept while the console is open.
const chosen = { calendar: 'default', year: new Date().getFullYear() };

/** Renders the calendars screen into `view`; `id` is the calendar of the route, if any. */
export async function render(view, id) {
  if (id) chosen.calendar = id;
  const calendarId = h('input', { name: 'calendar', value: chosen.calendar, required: true, autocomplete: 'off', maxlength: '64', pattern: ID_PATTERN });
  const year = h('input', { name: 'year', type: 'number', value: String(chosen.year), required: true, min: String(YEARS.min), max: String(YEARS.max), step: '1', inputmode: 'numeric' });
  const picker = h('form', { class: 'toolbar' },
    field(t('cal.id'), calendarId, {}, t('cal.idHint')),
    field(t('cal.year'), year),
    h('button', { type: 'submit', class: 'primary', text: t('cal.open') }));
  const holidaysTitle = h('h2');
  const holidaysBody = h('tbody');
  const periodsBody = h('tbody');
  view.append(heading(t('cal.title')), picker,
    h('section', { class: 'card' },
      holidaysTitle,
      h('div', { class: 'buttons start' },
        h('button', { type: 'button', class: 'primary', text: t('cal.addHoliday'), on: { click: () => editHoliday(null) } }),
        h('button', { type: 'button', class: 'secondary', text: t('cal.import'), on: { click: () => importHolidays() } })),
      table(t('cal.holidays'), [t('cal.date'), t('cal.name'), t('cal.kind'), t('common.actions')], holidaysBody)),
    h('section', { class: 'card' },
      h('h2', { text: t('cal.periods') }),
      h('p', { class: 'hint', text: t('cal.periodsHint') }),
      h('div', { class: 'buttons start' },
        h('button', { type: 'button', class: 'primary', text: t('cal.addPeriod'), on: { click: () => editPeriod(null) } })),
      table(t('cal.periods'), [t('cal.periodId'), t('cal.name'), t('cal.dates'), t('schedule.title'), t('common.actions')], periodsBody)));

  const base = () => `calendars/${encodeURIComponent(chosen.calendar)}`;

  async function load() {
    if (!picker.reportValidity()) return;
    chosen.calendar = calendarId.value.trim();
    chosen.year = year.valueAsNumber;
    history.replaceState(null, '', `#/calendars/${encodeURIComponent(chosen.calendar)}`);
    holidaysTitle.textContent = t('cal.holidaysOf', { calendar: chosen.calendar, year: chosen.year });
    try {
      const [holidays, periods] = await Promise.all([
        getJson(`${base()}/holidays`, { year: chosen.year }),
        getJson(`${base()}/special-periods`),
      ]);
      fillRows(holidaysBody, holidays.items.map(holidayRow), 4, t('cal.noHolidays'));
      fillRows(periodsBody, periods.items.map(periodRow), 5, t('cal.noPeriods'));
    } catch (err) {
      announceError(err);
    }
  }

  // Edit and delete buttons of a row, named after what they act on.
  function rowActions(what, onEdit, onDelete) {
    return h('td', { class: 'actions' },
      h('button', { type: 'button', class: 'small', 'aria-label': `${t('common.edit')} ${what}`, text: t('common.edit'), on: { click: onEdit } }),
      h('button', { type: 'button', class: 'small danger', 'aria-label': `${t('common.delete')} ${what}`, text: t('common.delete'), on: { click: onDelete } }));
  }

  function holidayRow(holiday) {
    const what = `${holiday.name} (${formatDate(holiday.date)})`;
    return h('tr', { dataset: { date: holiday.date } },
      h('td', { text: formatDate(holiday.date) }),
      h('td', { text: holiday.name }),
      h('td', { text: t(`cal.kind.${holiday.kind}`) }),
      rowActions(what, () => editHoliday(holiday), () => remove(`${base()}/holidays/${holiday.date}`, what)));
  }

  function periodRow(period) {
    const what = `${period.name} (${period.id})`;
    return h('tr', { dataset: { period: period.id } },
      h('td', {}, h('code', { text: period.id })),
      h('td', { text: period.name }),
      h('td', { text: `${formatDate(period.from)} – ${formatDate(period.to)}` }),
      h('td', { text: describeWeek(period.schedule) }),
      rowActions(what, () => editPeriod(period), () => remove(`${base()}/special-periods/${encodeURIComponent(period.id)}`, what)));
  }

  // A new holiday, or `holiday` with another name or kind (its date is its key).
  async function editHoliday(holiday) {
    const inputs = {
      date: h('input', { name: 'date', type: 'date', required: true, value: holiday?.date, readonly: Boolean(holiday), min: `${YEARS.min}-01-01`, max: `${YEARS.max}-12-31` }),
      name: h('input', { name: 'name', required: true, maxlength: '200', autocomplete: 'off', value: holiday?.name }),
      kind: select(KINDS.map((kind) => [kind, t(`cal.kind.${kind}`)]), holiday?.kind || 'national', { name: 'kind' }),
    };
    const saved = await formDialog({
      title: holiday ? t('cal.editHoliday', { name: holiday.name }) : t('cal.addHolidayTitle', { calendar: chosen.calendar }),
      submitLabel: t('common.save'),
      fields: [
        field(t('cal.date'), inputs.date, {}, holiday ? '' : t('cal.dateHint')),
        field(t('cal.name'), inputs.name),
        field(t('cal.kind'), inputs.kind),
      ],
      submit: () => sendJson('PUT', `${base()}/holidays/${inputs.date.value}`, { name: inputs.name.value.trim(), kind: inputs.kind.value }),
    });
    if (saved) {
      announce(t('cal.holidaySaved', { name: saved.name, date: formatDate(saved.date) }), 'ok');
      await load();
    }
  }

  async function importHolidays() {
    const csv = h('textarea', { name: 'csv', required: true, rows: '8', spellcheck: 'false', placeholder: `date,name,kind\n${chosen.year}-08-17,Hari Kemerdekaan,national` });
    const imported = await formDialog({
      title: t('cal.importTitle', { calendar: chosen.calendar }),
      submitLabel: t('cal.importSubmit'),
      fields: [field(t('cal.csv'), csv, {}, t('cal.csvHint'))],
      submit: async () => (await call(`${base()}/holidays/import`, {
        method: 'POST', text: csv.value, headers: { 'content-type': 'text/csv' },
      })).json(),
    });
    if (imported) {
      announce(t('cal.imported', { n: imported.items.length }), 'ok');
      await load();
    }
  }

  // A new special period, or `period` changed (its id is its key).
  async function editPeriod(period) {
    const inputs = {
      id: h('input', { name: 'id', required: true, maxlength: '64', pattern: ID_PATTERN, autocomplete: 'off', value: period?.id, readonly: Boolean(period) }),
      name: h('input', { name: 'name', required: true, maxlength: '200', autocomplete: 'off', value: period?.name }),
      from: h('input', { name: 'from', type: 'date', required: true, value: period?.from }),
      to: h('input', { name: 'to', type: 'date', required: true, value: period?.to }),
    };
    const week = weekFields(period?.schedule || standardWeek());
    const saved = await formDialog({
      title: period ? t('cal.editPeriod', { name: period.name }) : t('cal.addPeriodTitle', { calendar: chosen.calendar }),
      submitLabel: t('common.save'),
      fields: [
        field(t('cal.periodId'), inputs.id, {}, period ? '' : t('cal.periodIdHint')),
        field(t('cal.name'), inputs.name),
        h('div', { class: 'form-grid' }, field(t('common.from'), inputs.from), field(t('common.to'), inputs.to)),
        week.block,
      ],
      submit: () => sendJson('PUT', `${base()}/special-periods/${encodeURIComponent(inputs.id.value.trim())}`, {
        name: inputs.name.value.trim(), from: inputs.from.value, to: inputs.to.value, schedule: week.read(),
      }),
    });
    if (saved) {
      announce(t('cal.periodSaved', { name: saved.name }), 'ok');
      await load();
    }
  }

  async function remove(path, what) {
    const confirmed = await confirmDialog({ title: t('cal.deleteTitle', { what }), body: null, confirm: t('common.delete'), danger: true });
    if (!confirmed) return;
    try {
      await call(path, { method: 'DELETE' });
      announce(t('cal.deleted', { what }), 'ok');
      await load();
    } catch (err) {
      announceError(err);
    }
  }

  picker.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  await load();
}
