// Small DOM helpers shared by the screens: element building, the status region, dialogs,
// tables, the "load more" pager and formatting. Elements are built with properties and
// listeners, never inline handlers or style attributes (the page's CSP forbids both).

import { getJson } from './api.js';
import { t, locale, describeError } from './i18n.js';

/**
 * Makes an element. `props`: `class`, `text`, `on` ({event: listener}), `dataset`, and any
 * other key as an attribute (true → present, false/null → absent). Children may be strings,
 * nodes, arrays or null.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'on') for (const [event, fn] of Object.entries(value)) el.addEventListener(event, fn);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'value' || key === 'checked') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** The `pattern` of an id input: 1 to 64 letters, digits, `-` or `_`, as the API takes ids. */
export const ID_PATTERN = '[A-Za-z0-9_\\-]{1,64}';

let uid = 0;
/** A fresh element id with `prefix`. */
export function newId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

/**
 * A labelled form control: `<div class="field"><label>…</label><control/><p hint/></div>`.
 * `control` is an element or the tag of one; `props` go to the control.
 */
export function field(labelText, control, props = {}, hint = '') {
  const input = typeof control === 'string' ? h(control, props) : control;
  if (!input.id) input.id = newId('f');
  const parts = [h('label', { for: input.id, text: labelText }), input];
  if (hint) {
    const hintEl = h('p', { class: 'hint', id: newId('hint'), text: hint });
    input.setAttribute('aria-describedby', hintEl.id);
    parts.push(hintEl);
  }
  return h('div', { class: 'field' }, parts);
}

/** A `<select>` of `[value, text]` options with `selected` chosen. */
export function select(options, selected, props = {}) {
  return h('select', props, options.map(([value, text]) => h('option', { value, selected: value === selected, text })));
}

/** A labelled checkbox: `{input, block}`, the block being `<div class="check">` with both. */
export function checkbox(labelText, props = {}) {
  const input = h('input', { type: 'checkbox', id: newId('c'), ...props });
  return { input, block: h('div', { class: 'check' }, input, h('label', { for: input.id, text: labelText })) };
}

/** Empties `el` and puts `children` in. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

// The live region: messages are read out by screen readers and shown under the header.
let clearTimer = 0;
/** Shows and announces `message`; `kind` is `ok`, `error` or `info`. */
export function announce(message, kind = 'info') {
  const region = document.getElementById('status');
  if (!region) return;
  clearTimeout(clearTimer);
  region.textContent = message;
  region.dataset.kind = kind;
  if (kind !== 'error') clearTimer = setTimeout(() => { region.textContent = ''; }, 8000);
}

/** Announces an error thrown by the API helpers in words. */
export function announceError(error) {
  if (error && error.name === 'SignedOut') return;
  announce(describeError(error), 'error');
}

/**
 * Opens `dialog` as a modal; on close, removes it (when `remove`) and gives focus back to
 * what had it. Resolves with the dialog's returnValue.
 */
export function showDialog(dialog, { remove = true } = {}) {
  const opener = document.activeElement;
  if (!dialog.isConnected) document.body.append(dialog);
  dialog.showModal();
  const first = dialog.querySelector('[autofocus]') || dialog.querySelector('input, select, textarea, button');
  if (first) first.focus();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      if (remove) dialog.remove();
      if (opener && opener.isConnected) opener.focus();
      resolve(dialog.returnValue);
    }, { once: true });
  });
}

/**
 * Asks a yes/no question in a modal dialog. `body` is text or nodes. Resolves true when
 * confirmed.
 */
export async function confirmDialog({ title, body, confirm, danger = false }) {
  const titleId = newId('dlg');
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId },
    h('form', { method: 'dialog' },
      h('h2', { id: titleId, text: title }),
      h('div', { class: 'dialog-body' }, body),
      h('div', { class: 'buttons' },
        h('button', { value: 'cancel', class: 'secondary', autofocus: true, text: t('common.cancel') }),
        h('button', { value: 'ok', class: danger ? 'danger' : 'primary', text: confirm }))));
  return (await showDialog(dialog)) === 'ok';
}

/**
 * A modal form. `fields` are field() blocks; `submit(form)` returns a promise: when it
 * resolves the dialog closes with its value, when it throws the error is shown in the
 * dialog and it stays open (nothing typed is lost). Resolves with the value, or undefined
 * when cancelled.
 */
export function formDialog({ title, fields, submitLabel, submit, intro = null }) {
  const titleId = newId('dlg');
  const error = h('p', { class: 'form-error', role: 'alert' });
  const submitButton = h('button', { type: 'submit', class: 'primary', text: submitLabel });
  const form = h('form', {},
    h('h2', { id: titleId, text: title }),
    intro,
    fields,
    error,
    h('div', { class: 'buttons' },
      h('button', { type: 'button', class: 'secondary', text: t('common.cancel'), on: { click: () => dialog.close('cancel') } }),
      submitButton));
  const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId }, form);
  let result;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    submitButton.disabled = true;
    try {
      result = await submit(form);
      dialog.close('ok');
    } catch (err) {
      if (err && err.name === 'SignedOut') return;
      error.textContent = describeError(err);
    } finally {
      submitButton.disabled = false;
    }
  });
  return showDialog(dialog).then(() => result);
}

/** A date-time (ISO string or Date) in the current language, in the browser's time zone. */
export function formatDateTime(value) {
  if (!value) return t('common.none');
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(value));
}

/** A date `YYYY-MM-DD` in the current language (read as a calendar date, no time zone). */
export function formatDate(value) {
  if (!value) return t('common.none');
  const [y, m, d] = value.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
}

/** `HH:MM` of a local date-time without zone (`2026-12-03T07:41:00`), as the reports send. */
export function localTime(value) {
  return value ? value.slice(11, 16) : t('common.none');
}

/** `HH:MM` of a server time (`08:00:00`), as a time input takes it. */
export function hhmm(value) {
  return (value || '').slice(0, 5);
}

/** A number in the current language. */
export function formatNumber(value, digits = 0) {
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
}

/** The screen's heading: an `<h1>` that takes focus after navigation. */
export function heading(text) {
  return h('h1', { tabindex: '-1', class: 'screen-title', text });
}

/**
 * A `<table>` with a caption (read by screen readers, hidden on screen), header cells and a
 * body: a `<tbody>` element the caller fills, or an array of rows.
 * The wrapper scrolls sideways on narrow screens, so it is focusable and named (keyboard
 * users can scroll it).
 */
export function table(caption, headers, body, props = {}) {
  const tbody = body instanceof HTMLTableSectionElement ? body : h('tbody', {}, body);
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', props,
      h('caption', { class: 'visually-hidden', text: caption }),
      h('thead', {}, h('tr', {}, headers.map((text) => h('th', { scope: 'col', text })))),
      tbody));
}

/**
 * Fills `tbody` with `rows`, or with one row spanning `columns` cells that says `empty`
 * (default: nothing to show).
 */
export function fillRows(tbody, rows, columns, empty = t('common.empty')) {
  replace(tbody, rows);
  if (!rows.length) tbody.append(h('tr', {}, h('td', { colspan: String(columns), text: empty })));
}

/**
 * A "load more" pager over the paged list (`{items, next}`) at API `path`: `items` holds what
 * was loaded (a screen may change it), `load()` fetches the next page and calls
 * `onChange(items)`, `button` loads the next page and hides once none is left. A failure is
 * announced.
 */
export function pager(path, onChange, { limit = 100 } = {}) {
  let cursor;
  const button = h('button', { type: 'button', class: 'secondary', hidden: true, text: t('common.loadMore') });
  const list = {
    items: [],
    button,
    async load() {
      button.disabled = true;
      try {
        const page = await getJson(path, { limit, cursor });
        list.items = list.items.concat(page.items);
        cursor = page.next;
        button.hidden = !cursor;
        onChange(list.items);
      } catch (err) {
        announceError(err);
      } finally {
        button.disabled = false;
      }
    },
  };
  button.addEventListener('click', () => list.load());
  return list;
}
