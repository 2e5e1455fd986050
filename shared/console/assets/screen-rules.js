// The attendance rules (`GET`/`PUT /v1/attendance-rules`): the lateness and early-leave
// buckets (TL1-TL4, PSW1-PSW4) and the deduction of a day in each, the deduction of a day
// absent (TK) and of each kind of leave, the buckets of a missing check-in or check-out, and
// the monthly cap. Saving replaces them all; the defaults can be put back. The recap is
// computed with the rules in force, past months included.

import { getJson, sendJson } from './api.js';
import { h, field, select, replace, heading, table, announce, confirmDialog, newId } from './dom.js';
import { t, describeError } from './i18n.js';

const BUCKETS = [1, 2, 3, 4];
const LEAVE_KINDS = ['leave', 'excused', 'sick', 'official_duty'];

// A percentage of the allowance, 0 to 100.
function percentInput(name, value, props = {}) {
  return h('input', { name, type: 'number', min: '0', max: '100', step: 'any', inputmode: 'decimal', required: true, value: String(value), ...props });
}

/** Renders the attendance rules into `view`. */
export async function render(view) {
  const editor = h('div');
  view.append(heading(t('rules.title')), h('p', { class: 'hint', text: t('rules.intro') }), editor);

  function draw(rules) {
    const titleId = newId('rules');
    const limits = rules.bucket_limits.map((limit, i) => h('input', {
      name: `bucket_limit_${i + 1}`, type: 'number', min: '1', step: '1', inputmode: 'numeric', required: true, value: String(limit),
    }));
    // In the table, each input is named by its bucket and column.
    const late = rules.late_deductions.map((value, i) => percentInput(`late_${i + 1}`, value, { 'aria-label': t('rules.lateOf', { n: i + 1 }) }));
    const early = rules.early_deductions.map((value, i) => percentInput(`early_${i + 1}`, value, { 'aria-label': t('rules.earlyOf', { n: i + 1 }) }));
    const ranges = BUCKETS.map(() => h('td'));
    const inputs = {
      absent: percentInput('absent_deduction', rules.absent_deduction),
      cap: percentInput('monthly_cap', rules.monthly_cap),
      noCheckIn: select(BUCKETS.map((n) => [String(n), `TL${n}`]), String(rules.no_check_in_bucket), { name: 'no_check_in_bucket' }),
      noCheckOut: select(BUCKETS.map((n) => [String(n), `PSW${n}`]), String(rules.no_check_out_bucket), { name: 'no_check_out_bucket' }),
    };
    const leave = LEAVE_KINDS.map((kind) => percentInput(`leave_${kind}`, rules.leave_deductions[kind]));
    const error = h('p', { class: 'form-error', role: 'alert' });
    const save = h('button', { type: 'submit', class: 'primary', text: t('common.save') });
    const reset = h('button', { type: 'button', class: 'secondary', text: t('rules.reset'), on: { click: () => resetDefaults() } });

    // The minutes each bucket covers, following the limits as they are typed.
    function showRanges() {
      const bounds = limits.map((input) => input.valueAsNumber);
      ranges.forEach((cell, i) => {
        cell.textContent = i === 0 ? t('rules.rangeFirst', { to: bounds[0] })
          : i === 3 ? t('rules.rangeLast', { from: bounds[2] })
            : t('rules.range', { from: bounds[i - 1] + 1, to: bounds[i] });
      });
    }

    const form = h('form', { class: 'card rules-form', 'aria-labelledby': titleId },
      h('h2', { id: titleId, text: t('rules.formTitle') }),
      h('fieldset', {},
        h('legend', { text: t('rules.limits') }),
        h('div', { class: 'form-grid' }, limits.map((input, i) => field(t('rules.limitOf', { n: i + 1 }), input)))),
      table(t('rules.tableTitle'), [t('rules.bucket'), t('rules.minutes'), t('rules.late'), t('rules.early')],
        BUCKETS.map((n, i) => h('tr', {},
          h('th', { scope: 'row', text: `TL${n} / PSW${n}` }),
          ranges[i],
          h('td', {}, late[i]),
          h('td', {}, early[i])))),
      h('div', { class: 'form-grid' },
        field(t('rules.absent'), inputs.absent),
        field(t('rules.noCheckIn'), inputs.noCheckIn),
        field(t('rules.noCheckOut'), inputs.noCheckOut),
        field(t('rules.cap'), inputs.cap)),
      h('fieldset', {},
        h('legend', { text: t('rules.leave') }),
        h('div', { class: 'form-grid' }, LEAVE_KINDS.map((kind, i) => field(t(`req.kind.${kind}`), leave[i])))),
      error,
      h('div', { class: 'buttons start' }, save, reset));

    for (const input of limits) input.addEventListener('input', showRanges);
    showRanges();

    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const number = (input) => input.valueAsNumber;
      store(form, {
        bucket_limits: limits.map(number),
        late_deductions: late.map(number),
        early_deductions: early.map(number),
        absent_deduction: number(inputs.absent),
        no_check_out_bucket: Number(inputs.noCheckOut.value),
        no_check_in_bucket: Number(inputs.noCheckIn.value),
        monthly_cap: number(inputs.cap),
        leave_deductions: Object.fromEntries(LEAVE_KINDS.map((kind, i) => [kind, number(leave[i])])),
      });
    });
    replace(editor, form);
    return form;
  }

  // Sends the rules (`{}`: the defaults); the form is drawn again from what the server stored,
  // or shows the refusal in words and keeps what was typed.
  async function store(form, rules, message = 'rules.saved') {
    const error = form.querySelector('.form-error');
    const buttons = form.querySelectorAll('button');
    error.textContent = '';
    buttons.forEach((button) => { button.disabled = true; });
    try {
      const saved = await sendJson('PUT', 'attendance-rules', rules);
      draw(saved).querySelector('button[type=submit]').focus();
      announce(t(message), 'ok');
    } catch (err) {
      if (err && err.name === 'SignedOut') return;
      error.textContent = describeError(err);
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
    }
  }

  async function resetDefaults() {
    const confirmed = await confirmDialog({ title: t('rules.resetTitle'), body: h('p', { text: t('rules.resetBody') }), confirm: t('rules.reset') });
    if (confirmed) await store(editor.querySelector('form'), {}, 'rules.resetDone');
  }

  draw(await getJson('attendance-rules'));
}
