// Offices (`GET`/`PUT /v1/offices/{id}`): pick an office by id, edit its name, time zone,
// working week, calendar, geofence and challenge policy, and save. A PUT creates the office
// when the id is new. The route `#/offices/{id}` reopens the office last shown.

import { getAll, getJson, sendJson } from './api.js';
import { h, field, select, checkbox, replace, heading, announce, announceError, newId, ID_PATTERN } from './dom.js';
import { t, describeError } from './i18n.js';
import { weekFields, standardWeek } from './schedule-form.js';

// The time zones of Indonesia (WIB, WITA, WIT); any other IANA name is typed in.
const ZONES = ['Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura'];
const OTHER_ZONE = 'other';
const MAX_RADIUS_M = 50000; // the widest geofence the server takes

// The office chosen last, kept while the console is open.
const chosen = { office: 'main' };

/** What a new office starts as: the server's standard office (08:00-16:00, Monday to Friday). */
function standardOffice(id) {
  return {
    id,
    name: '',
    time_zone: 'Asia/Jakarta',
    schedule: standardWeek(),
    geofence: null,
    challenge: { phone: true, kiosk: false },
  };
}

/** Renders the offices screen into `view`; `id` is the office of the route, if any. */
export async function render(view, id) {
  if (id) chosen.office = id;
  const known = newId('offices');
  const officeId = h('input', {
    name: 'office_id', value: chosen.office, required: true, autocomplete: 'off',
    maxlength: '64', pattern: ID_PATTERN, list: known,
  });
  const ids = h('datalist', { id: known }, h('option', { value: 'main' }));
  const picker = h('form', { class: 'toolbar' },
    field(t('office.id'), officeId, {}, t('office.idHint')),
    ids,
    h('button', { type: 'submit', class: 'primary', text: t('office.open') }));
  const editor = h('div', { class: 'office-editor' });
  view.append(heading(t('office.title')), picker, editor);

  // The offices employees belong to, offered in the id field.
  async function offerKnownIds() {
    try {
      const employees = await getAll('employees', { limit: 100 }, 5);
      const seen = new Set(['main', ...employees.map((e) => e.office_id).filter(Boolean)]);
      replace(ids, [...seen].sort().map((value) => h('option', { value })));
    } catch {
      // Only the suggestions are missing; any id can still be typed.
    }
  }

  async function load() {
    if (!officeId.reportValidity()) return;
    chosen.office = officeId.value.trim();
    history.replaceState(null, '', `#/offices/${encodeURIComponent(chosen.office)}`);
    try {
      draw(await getJson(`offices/${encodeURIComponent(chosen.office)}`), false);
    } catch (err) {
      if (err && err.name === 'ApiError' && err.status === 404) draw(standardOffice(chosen.office), true);
      else {
        replace(editor);
        announceError(err);
      }
    }
  }

  function draw(office, isNew) {
    const titleId = newId('office');
    const schedule = office.schedule;
    const inputs = {
      name: h('input', { name: 'name', value: office.name, required: true, maxlength: '200', autocomplete: 'off' }),
      zone: select([...ZONES.map((zone) => [zone, t(`office.zone.${zone}`)]), [OTHER_ZONE, t('office.zoneOther')]],
        ZONES.includes(office.time_zone) ? office.time_zone : OTHER_ZONE, { name: 'time_zone' }),
      otherZone: h('input', {
        name: 'time_zone_other', autocomplete: 'off', spellcheck: 'false', placeholder: 'Asia/Pontianak',
        value: ZONES.includes(office.time_zone) ? '' : office.time_zone,
      }),
      calendar: h('input', { name: 'calendar', value: office.calendar || '', autocomplete: 'off', maxlength: '64', pattern: ID_PATTERN }),
      latitude: h('input', { name: 'latitude', type: 'number', min: '-90', max: '90', step: 'any', inputmode: 'decimal', value: office.geofence ? String(office.geofence.center.latitude) : '' }),
      longitude: h('input', { name: 'longitude', type: 'number', min: '-180', max: '180', step: 'any', inputmode: 'decimal', value: office.geofence ? String(office.geofence.center.longitude) : '' }),
      radius: h('input', { name: 'radius_m', type: 'number', min: '1', max: String(MAX_RADIUS_M), step: 'any', inputmode: 'decimal', value: office.geofence ? String(office.geofence.radius_m) : '' }),
    };
    const fenceName = newId('fence');
    const noFence = h('input', { type: 'radio', name: fenceName, id: newId('r'), value: 'none', checked: !office.geofence });
    const withFence = h('input', { type: 'radio', name: fenceName, id: newId('r'), value: 'circle', checked: Boolean(office.geofence) });
    const phone = checkbox(t('office.challengePhone'), { name: 'challenge_phone', checked: office.challenge?.phone ?? true });
    const kiosk = checkbox(t('office.challengeKiosk'), { name: 'challenge_kiosk', checked: office.challenge?.kiosk ?? false });

    const otherZoneField = field(t('office.zoneName'), inputs.otherZone, {}, t('office.zoneNameHint'));
    const fenceFields = h('div', { class: 'form-grid' },
      field(t('office.latitude'), inputs.latitude, {}, t('office.latitudeHint')),
      field(t('office.longitude'), inputs.longitude, {}, t('office.longitudeHint')),
      field(t('office.radius'), inputs.radius, {}, t('office.radiusHint', { max: MAX_RADIUS_M })));
    const week = weekFields(schedule);
    const error = h('p', { class: 'form-error', role: 'alert' });
    const save = h('button', { type: 'submit', class: 'primary', text: t(isNew ? 'office.create' : 'common.save') });

    // Controls that do not apply are hidden and disabled (so the browser does not check them).
    function showZone() {
      const other = inputs.zone.value === OTHER_ZONE;
      otherZoneField.hidden = !other;
      inputs.otherZone.disabled = !other;
      inputs.otherZone.required = other;
    }
    function showFence() {
      const on = withFence.checked;
      fenceFields.hidden = !on;
      for (const input of [inputs.latitude, inputs.longitude, inputs.radius]) {
        input.disabled = !on;
        input.required = on;
      }
    }

    const form = h('form', { class: 'card office-form', 'aria-labelledby': titleId },
      h('h2', { id: titleId, text: isNew ? t('office.newTitle', { id: office.id }) : t('office.editTitle', { name: office.name, id: office.id }) }),
      isNew ? h('p', { class: 'hint', text: t('office.newHint') }) : null,
      h('div', { class: 'form-grid' },
        field(t('office.name'), inputs.name),
        field(t('office.zone'), inputs.zone),
        otherZoneField),
      week.block,
      h('fieldset', {},
        h('legend', { text: t('office.geofence') }),
        h('div', { class: 'check' }, noFence, h('label', { for: noFence.id, text: t('office.noGeofence') })),
        h('div', { class: 'check' }, withFence, h('label', { for: withFence.id, text: t('office.withGeofence') })),
        fenceFields),
      h('fieldset', {},
        h('legend', { text: t('office.challenge') }),
        phone.block,
        kiosk.block),
      field(`${t('office.calendar')} ${t('common.optional')}`, inputs.calendar, {}, t('office.calendarHint')),
      error,
      h('div', { class: 'buttons start' }, save));

    inputs.zone.addEventListener('change', showZone);
    noFence.addEventListener('change', showFence);
    withFence.addEventListener('change', showFence);
    showZone();
    showFence();

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.textContent = '';
      const body = {
        name: inputs.name.value.trim(),
        time_zone: inputs.zone.value === OTHER_ZONE ? inputs.otherZone.value.trim() : inputs.zone.value,
        schedule: week.read(),
        geofence: withFence.checked
          ? { center: { latitude: inputs.latitude.valueAsNumber, longitude: inputs.longitude.valueAsNumber }, radius_m: inputs.radius.valueAsNumber }
          : null,
        challenge: { phone: phone.input.checked, kiosk: kiosk.input.checked },
      };
      const calendar = inputs.calendar.value.trim();
      if (calendar) body.calendar = calendar;
      save.disabled = true;
      try {
        const saved = await sendJson('PUT', `offices/${encodeURIComponent(office.id)}`, body);
        if (isNew) ids.append(h('option', { value: saved.id }));
        // The form is drawn again from what the server stored; focus stays on its button.
        draw(saved, false).querySelector('button[type=submit]').focus();
        announce(t(isNew ? 'office.created' : 'office.saved', { name: saved.name }), 'ok');
      } catch (err) {
        if (err && err.name === 'SignedOut') return;
        error.textContent = describeError(err);
      } finally {
        save.disabled = false;
      }
    });
    replace(editor, form);
    return form;
  }

  picker.addEventListener('submit', (event) => {
    event.preventDefault();
    load();
  });
  await Promise.all([load(), offerKnownIds()]);
}
