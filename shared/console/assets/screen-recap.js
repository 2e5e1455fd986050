// The monthly recap (`GET /v1/reports/attendance?month=`): a table per employee, a bar chart
// of lateness per day drawn as SVG, and the CSV and XLSX downloads.

import { getJson, download } from './api.js';
import { h, field, replace, heading, table, announce, announceError, formatNumber, formatDate } from './dom.js';
import { t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  el.append(...children);
  return el;
}

/** This month as `YYYY-MM` in the browser's zone. */
function thisMonth() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}

// Employees late and minutes late on each day of `month`, from the recap's days.
function latenessByDay(recap) {
  const [year, month] = recap.month.split('-').map(Number);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const perDay = Array.from({ length: days }, (_, i) => ({
    date: `${recap.month}-${String(i + 1).padStart(2, '0')}`, late: 0, minutes: 0,
  }));
  for (const employee of recap.employees) {
    for (const day of employee.days) {
      if (day.late_minutes > 0 && day.date.startsWith(recap.month)) {
        const slot = perDay[Number(day.date.slice(8)) - 1];
        slot.late += 1;
        slot.minutes += day.late_minutes;
      }
    }
  }
  return perDay;
}

// The bar chart: one bar per day, its height the number of employees late that day.
function chart(recap) {
  const perDay = latenessByDay(recap);
  const total = perDay.reduce((sum, d) => sum + d.late, 0);
  const highest = Math.max(1, ...perDay.map((d) => d.late));
  const [width, height, bottom, left] = [640, 180, 22, 24];
  const step = (width - left) / perDay.length;
  const scale = (height - bottom - 8) / highest;
  const titleId = `chart-title-${recap.month}`;
  const descId = `chart-desc-${recap.month}`;
  const graphic = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`, class: 'chart' },
    svg('title', { id: titleId }, t('recap.chartTitle')),
    svg('desc', { id: descId }, t('recap.chartDesc', { month: recap.month, total })),
    svg('line', { x1: left, y1: height - bottom, x2: width, y2: height - bottom, class: 'axis' }),
    svg('text', { x: left - 6, y: 12, class: 'tick', 'text-anchor': 'end' }, String(highest)),
    svg('text', { x: left - 6, y: height - bottom, class: 'tick', 'text-anchor': 'end' }, '0'));
  perDay.forEach((day, i) => {
    const x = left + i * step;
    const barHeight = day.late * scale;
    const label = t('recap.chartBar', { date: formatDate(day.date), n: day.late, minutes: day.minutes });
    graphic.append(
      svg('rect', { x: x + step * 0.15, y: height - bottom - barHeight, width: step * 0.7, height: barHeight, class: 'bar' }, svg('title', {}, label)),
      svg('text', { x: x + step / 2, y: height - 6, class: 'tick', 'text-anchor': 'middle' }, String(i + 1)));
  });
  return h('figure', { class: 'card chart-card' }, graphic, h('figcaption', { text: t('recap.chartDesc', { month: recap.month, total }) }));
}

function recapTable(recap) {
  const headers = [t('emp.name'), t('emp.staffNumber'), t('recap.workingDays'), t('recap.present'),
    'TL1', 'TL2', 'TL3', 'TL4', 'PSW1', 'PSW2', 'PSW3', 'PSW4',
    t('recap.lateMinutes'), t('recap.earlyMinutes'), t('recap.absent'), t('recap.leave'), t('recap.deduction')];
  const rows = recap.employees.map((e) => h('tr', { dataset: { employee: e.employee_id } },
    h('th', { scope: 'row' }, e.name, h('span', { class: 'sub', text: e.employee_id })),
    h('td', { text: e.staff_number || t('common.none') }),
    h('td', { class: 'num', text: e.working_days }),
    h('td', { class: 'num', text: e.present_days }),
    e.late_days.map((n) => h('td', { class: 'num', text: n })),
    e.early_days.map((n) => h('td', { class: 'num', text: n })),
    h('td', { class: 'num', text: e.late_minutes }),
    h('td', { class: 'num', text: e.early_minutes }),
    h('td', { class: 'num', text: e.absent_days }),
    h('td', { class: 'num', text: e.leave_days + e.excused_days + e.sick_days + e.official_duty_days }),
    h('td', { class: 'num', text: formatNumber(e.deduction, 2) })));
  if (!rows.length) rows.push(h('tr', {}, h('td', { colspan: String(headers.length), text: t('common.empty') })));
  return table(t('recap.title'), headers, rows, { class: 'recap-table' });
}

/** Renders the monthly recap into `view`. */
export async function render(view) {
  const month = h('input', { name: 'month', type: 'month', value: thisMonth(), required: true, pattern: '[0-9]{4}-[0-9]{2}' });
  const form = h('form', { class: 'toolbar' },
    field(t('recap.month'), month),
    h('button', { type: 'submit', class: 'primary', text: t('common.show') }));
  const save = (format, table, label) => h('button', {
    type: 'button',
    class: 'secondary',
    text: label,
    on: {
      click: async () => {
        try {
          const name = await download('reports/attendance', { month: month.value, format, table },
            `attendance-${table || 'recap'}-${month.value}.${format}`);
          announce(t('recap.downloaded', { file: name }), 'ok');
        } catch (err) {
          announceError(err);
        }
      },
    },
  });
  const downloads = h('div', { class: 'buttons start', role: 'group', 'aria-label': t('recap.downloads') },
    h('span', { class: 'group-label', text: `${t('recap.downloads')}:` }),
    save('csv', 'recap', t('recap.csv')),
    save('csv', 'days', t('recap.csvDays')),
    save('xlsx', undefined, t('recap.xlsx')));
  const content = h('div');
  view.append(heading(t('recap.title')), form, downloads, content);

  async function load() {
    try {
      const recap = await getJson('reports/attendance', { month: month.value });
      replace(content,
        chart(recap),
        h('p', { class: 'hint', text: `${t('recap.rows', { n: recap.employees.length })}. ${t('recap.tlHelp')}` }),
        recapTable(recap));
    } catch (err) {
      announceError(err);
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  await load();
}
