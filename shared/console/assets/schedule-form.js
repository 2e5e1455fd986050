// The fields of working hours, shared by the offices screen (an office's week), the special
// periods of a calendar (another week on some dates) and the shifts: start, end, grace period
// and the check-in and check-out windows; a week adds its working days.

import { h, field, checkbox, hhmm } from './dom.js';
import { t } from './i18n.js';

const MAX_WINDOW_MINUTES = 720; // the widest punch window the server takes
const WEEK = [1, 2, 3, 4, 5, 6, 7]; // ISO weekdays, Monday first

// A whole number of minutes, 0 to `max`.
function minutesInput(name, value, max) {
  return h('input', { name, type: 'number', min: '0', max: max && String(max), step: '1', inputmode: 'numeric', value: String(value), required: true });
}

/**
 * The fields of a working period filled from `hours` (`start`, `end`, `grace_minutes`,
 * `earliest_check_in_minutes`, `latest_check_out_minutes`; the server's defaults when
 * missing): `times` (start, end with `endHint`, grace) and `windows` (the two windows) as
 * field blocks, and `read()`, the values as the API takes them.
 */
export function hoursFields(hours, endHint) {
  const inputs = {
    start: h('input', { name: 'start', type: 'time', value: hhmm(hours.start), required: true }),
    end: h('input', { name: 'end', type: 'time', value: hhmm(hours.end), required: true }),
    grace: minutesInput('grace_minutes', hours.grace_minutes ?? 0),
    earliest: minutesInput('earliest_check_in_minutes', hours.earliest_check_in_minutes ?? 180, MAX_WINDOW_MINUTES),
    latest: minutesInput('latest_check_out_minutes', hours.latest_check_out_minutes ?? 360, MAX_WINDOW_MINUTES),
  };
  const windowHint = t('schedule.windowHint', { max: MAX_WINDOW_MINUTES });
  return {
    times: [
      field(t('schedule.start'), inputs.start),
      field(t('schedule.end'), inputs.end, {}, endHint),
      field(t('schedule.grace'), inputs.grace, {}, t('schedule.graceHint')),
    ],
    windows: [
      field(t('schedule.earliest'), inputs.earliest, {}, windowHint),
      field(t('schedule.latest'), inputs.latest, {}, windowHint),
    ],
    read: () => ({
      start: inputs.start.value,
      end: inputs.end.value,
      grace_minutes: inputs.grace.valueAsNumber,
      earliest_check_in_minutes: inputs.earliest.valueAsNumber,
      latest_check_out_minutes: inputs.latest.valueAsNumber,
    }),
  };
}

/**
 * The fields of a week, filled from `schedule` (as the API sends it): `block`, a fieldset
 * titled "working hours" with the hours and the working days, and `read()`, the schedule as
 * the API takes it. Other hours on some weekdays (e.g. a longer Friday) are named in the block
 * and kept as they are, for the days still worked (others would be refused).
 */
export function weekFields(schedule) {
  const hours = hoursFields(schedule, t('schedule.endHint'));
  const otherHours = Object.entries(schedule.hours || {});
  const extra = otherHours.length
    ? h('p', { class: 'hint', text: t('office.otherHours', {
      hours: otherHours.map(([day, other]) => `${t(`schedule.day.${day}`)} ${hhmm(other.start)}–${hhmm(other.end)}`).join(', '),
    }) })
    : null;
  const days = WEEK.map((day) => ({
    day, ...checkbox(t(`schedule.day.${day}`), { name: 'weekdays', value: String(day), checked: schedule.weekdays.includes(day) }),
  }));
  const block = h('fieldset', {},
    h('legend', { text: t('schedule.title') }),
    h('div', { class: 'form-grid' }, hours.times),
    h('fieldset', {},
      h('legend', { text: t('schedule.weekdays') }),
      h('div', { class: 'weekdays' }, days.map((d) => d.block))),
    extra,
    h('div', { class: 'form-grid' }, hours.windows));
  return {
    block,
    read: () => {
      const weekdays = days.filter((d) => d.input.checked).map((d) => d.day);
      const kept = otherHours.filter(([day]) => weekdays.includes(Number(day)));
      return { ...hours.read(), weekdays, ...(kept.length ? { hours: Object.fromEntries(kept) } : {}) };
    },
  };
}

/** A week in words: its days and hours (`Senin–Jumat 08:00–16:00`-like, days listed). */
export function describeWeek(schedule) {
  const days = schedule.weekdays.map((day) => t(`schedule.dayShort.${day}`)).join(', ');
  return `${days} ${hhmm(schedule.start)}–${hhmm(schedule.end)}`;
}

/** The standard week of the server (08:00-16:00, Monday to Friday, its default windows). */
export function standardWeek() {
  return {
    start: '08:00:00', end: '16:00:00', weekdays: [1, 2, 3, 4, 5],
    grace_minutes: 0, earliest_check_in_minutes: 180, latest_check_out_minutes: 360,
  };
}

/** A shift's hours in words: `22:00–07:00 (next day)`. */
export function describeShift(shift) {
  const hours = `${hhmm(shift.start)}–${hhmm(shift.end)}`;
  return shift.end <= shift.start ? `${hours} ${t('shift.nextDay')}` : hours;
}
