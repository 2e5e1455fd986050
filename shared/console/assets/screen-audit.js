// The audit log (`GET /v1/audit`, most recent first), paged, filtered here by actor, action and
// subject over the pages loaded.

import { h, field, heading, table, fillRows, pager, formatDateTime } from './dom.js';
import { t } from './i18n.js';

/** Renders the audit log into `view`. */
export async function render(view) {
  const filters = {
    actor: h('input', { type: 'search', name: 'actor', autocomplete: 'off' }),
    action: h('input', { type: 'search', name: 'action', autocomplete: 'off' }),
    subject: h('input', { type: 'search', name: 'subject', autocomplete: 'off' }),
  };
  const count = h('p', { class: 'hint', 'aria-live': 'polite' });
  const body = h('tbody');
  const events = pager('audit', draw);
  view.append(heading(t('audit.title')),
    h('div', { class: 'toolbar' },
      field(t('audit.filterActor'), filters.actor),
      field(t('audit.filterAction'), filters.action),
      field(t('audit.filterSubject'), filters.subject)),
    count,
    table(t('audit.title'), [t('audit.at'), t('audit.actor'), t('audit.action'), t('audit.subject'), t('audit.detail')], body),
    events.button);

  function draw() {
    const wanted = Object.entries(filters).map(([key, input]) => [key, input.value.trim().toLowerCase()]).filter(([, v]) => v);
    const shown = events.items.filter((e) => wanted.every(([key, value]) => String(e[key] || '').toLowerCase().includes(value)));
    fillRows(body, shown.map((e) => h('tr', {},
      h('td', { text: formatDateTime(e.at) }),
      h('td', {}, h('code', { text: e.actor })),
      h('td', {}, h('code', { text: e.action })),
      h('td', { text: e.subject }),
      h('td', { text: e.detail || t('common.none') }))), 5);
    count.textContent = t('common.shown', { shown: shown.length, loaded: events.items.length });
  }

  for (const input of Object.values(filters)) input.addEventListener('input', draw);
  await events.load();
}
