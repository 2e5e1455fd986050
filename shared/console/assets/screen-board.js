// The daily board of an office (`GET /v1/reports/board`): who is in, late, not yet in, gone,
// on leave, absent, on a night shift or off — grouped by status, each group named in words
// (the colour only repeats what the text says). Admins read everyone they manage; employees
// themselves and, as supervisors, their team.

import { getJson } from './api.js';
import { h, field, replace, heading, table, announceError, formatDate, localTime, formatDateTime } from './dom.js';
import { t } from './i18n.js';

// The board's statuses in the order the server sorts them.
const STATUSES = ['in', 'late', 'gone', 'on_leave', 'not_yet_in', 'absent', 'night_shift', 'off'];

// The office and day chosen last, kept while the console is open (none: the caller's own
// office, today).
const chosen = { office: '', day: '' };

/** Renders the daily board into `view`. */
export async function render(view) {
  const office = h('input', { name: 'office_id', value: chosen.office, autocomplete: 'off' });
  const day = h('input', { name: 'day', type: 'date', value: chosen.day });
  const summary = h('ul', { class: 'summary', 'aria-label': t('board.summary') });
  const asOf = h('p', { class: 'hint' });
  const groups = h('div', { class: 'board-groups' });
  const form = h('form', { class: 'toolbar' },
    field(`${t('board.office')} ${t('common.optional')}`, office, {}, t('board.officeHint')),
    field(`${t('board.day')} ${t('common.optional')}`, day),
    h('button', { type: 'submit', class: 'primary', text: t('common.show') }));
  view.append(heading(t('board.title')), form, asOf, summary, groups);

  async function load() {
    chosen.office = office.value.trim();
    chosen.day = day.value;
    try {
      const board = await getJson('reports/board', { office_id: chosen.office, day: chosen.day });
      draw(board);
    } catch (err) {
      announceError(err);
    }
  }

  function draw(board) {
    asOf.textContent = t('board.asOf', { office: board.office_id, day: formatDate(board.day), time: formatDateTime(new Date()) });
    const byStatus = new Map(STATUSES.map((s) => [s, []]));
    for (const entry of board.entries) {
      if (!byStatus.has(entry.status)) byStatus.set(entry.status, []);
      byStatus.get(entry.status).push(entry);
    }
    const present = [...byStatus].filter(([, entries]) => entries.length);
    replace(summary, present.map(([status, entries]) => h('li', { class: `badge status-${status}` }, `${t(`board.status.${status}`)}: ${entries.length}`)));
    replace(groups, present.map(([status, entries]) => {
      const titleId = `board-${status}`;
      return h('section', { class: `board-group group-${status}`, 'aria-labelledby': titleId },
        h('h2', { id: titleId }, h('span', { class: `badge status-${status}`, text: t(`board.status.${status}`) }), ` ${entries.length}`),
        table(t(`board.status.${status}`), [t('emp.name'), t('emp.id'), t('board.checkIn'), t('board.checkOut'), t('board.plannedStart'), t('board.shift')],
          entries.map((e) => h('tr', { dataset: { employee: e.employee_id, status } },
            h('td', { text: e.name }),
            h('td', {}, h('code', { text: e.employee_id })),
            h('td', { text: localTime(e.check_in) }),
            h('td', { text: localTime(e.check_out) }),
            h('td', { text: localTime(e.planned_start) }),
            h('td', { text: e.shift || t('common.none') })))));
    }));
    if (!present.length) groups.append(h('p', { text: t('common.empty') }));
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  await load();
}
