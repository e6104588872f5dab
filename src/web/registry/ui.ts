/**
 * Form pieces shared by the registry's pages: labelled fields with their hint and error tied by
 * aria-describedby, the error summary at the top of a form (linking to each field), the hidden
 * CSRF field, and small formatting helpers. Every value goes through `html` (escaped).
 */
import { type Html, html, type Interpolation } from '../html.ts';
import { type Lang, t } from '../i18n.ts';

/** A field's validation error: the field's name (the form's key) and the message to show. */
export interface FieldError {
  field: string;
  message: string;
}

export type Errors = Map<string, string>;

export const csrfField = (token: string): Html => html`<input type="hidden" name="_csrf" value="${token}">`;

/** The id of a field's control (what the error summary links to). */
export const fieldId = (name: string): string => `f-${name}`;

const describedBy = (...ids: (string | false | undefined)[]): Html => {
  const list = ids.filter(Boolean).join(' ');
  return list ? html` aria-describedby="${list}"` : html``;
};

const errorLine = (name: string, errors: Errors, lang: Lang): Html => {
  const e = errors.get(name);
  return e
    ? html`<p class="field-error" id="e-${name}"><span class="sr-only">${t(lang, 'reg.form.error')}: </span>${e}</p>`
    : html``;
};

export interface FieldOptions {
  name: string;
  label: string;
  value?: string;
  hint?: string;
  type?: string;
  required?: boolean;
  autocomplete?: string;
  /** A textarea with this many rows instead of an input. */
  rows?: number;
  maxlength?: number;
  /** Text direction of the value (auto for free text in any language). */
  dirAuto?: boolean;
}

export function field(lang: Lang, errors: Errors, o: FieldOptions): Html {
  const id = fieldId(o.name);
  const err = errors.has(o.name);
  const hint = o.hint ? html`<p class="hint" id="h-${o.name}">${o.hint}</p>` : html``;
  const attrs = html`id="${id}" name="${o.name}"${o.required ? html` required` : ''}${
    o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''
  }${o.maxlength ? html` maxlength="${o.maxlength}"` : ''}${o.dirAuto ? html` dir="auto"` : ''}${
    err ? html` aria-invalid="true"` : ''
  }${describedBy(o.hint && `h-${o.name}`, err && `e-${o.name}`)}`;
  const control =
    o.rows !== undefined
      ? html`<textarea ${attrs} rows="${o.rows}">${o.value ?? ''}</textarea>`
      : html`<input ${attrs} type="${o.type ?? 'text'}" value="${o.value ?? ''}">`;
  return html`<div class="field${err ? ' invalid' : ''}"><label for="${id}">${o.label}</label>${hint}${errorLine(o.name, errors, lang)}${control}</div>`;
}

export interface Option {
  value: string;
  label: string;
}

export function select(
  lang: Lang,
  errors: Errors,
  o: { name: string; label: string; value: string; options: Option[]; hint?: string },
): Html {
  const id = fieldId(o.name);
  const err = errors.has(o.name);
  const hint = o.hint ? html`<p class="hint" id="h-${o.name}">${o.hint}</p>` : html``;
  return html`<div class="field${err ? ' invalid' : ''}"><label for="${id}">${o.label}</label>${hint}${errorLine(o.name, errors, lang)}<select id="${id}" name="${o.name}"${err ? html` aria-invalid="true"` : ''}${describedBy(o.hint && `h-${o.name}`, err && `e-${o.name}`)}>${o.options.map(
    (op) =>
      html`<option value="${op.value}"${op.value === o.value ? html` selected` : ''}>${op.label}</option>`,
  )}</select></div>`;
}

/** A group of checkboxes in a fieldset; the first box's id is `f-{name}` (the summary's target). */
export function checkboxes(
  lang: Lang,
  errors: Errors,
  o: {
    name: string;
    legend: string;
    options: (Option & { note?: Interpolation })[];
    checked: ReadonlySet<string>;
    hint?: string;
    cls?: string;
  },
): Html {
  const err = errors.has(o.name);
  const hint = o.hint ? html`<p class="hint" id="h-${o.name}">${o.hint}</p>` : html``;
  return html`<fieldset class="checks${o.cls ? ` ${o.cls}` : ''}${err ? ' invalid' : ''}"${describedBy(o.hint && `h-${o.name}`, err && `e-${o.name}`)}><legend>${o.legend}</legend>${hint}${errorLine(o.name, errors, lang)}${o.options.map(
    (op, i) => {
      const id = i === 0 ? fieldId(o.name) : `${fieldId(o.name)}-${op.value}`;
      return html`<div class="check"><input type="checkbox" id="${id}" name="${o.name}" value="${op.value}"${o.checked.has(op.value) ? html` checked` : ''}><label for="${id}">${op.label}</label>${op.note ?? ''}</div>`;
    },
  )}</fieldset>`;
}

/** The error summary at the top of a form: a heading and one link per field in error. */
export function errorSummary(lang: Lang, errors: Errors, labels: Record<string, string>): Html {
  if (errors.size === 0) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
<h2 id="error-summary-title">${t(lang, 'reg.form.problem', { n: errors.size })}</h2>
<ul>${[...errors].map(
    ([name, msg]) => html`<li><a href="#${fieldId(name)}">${labels[name] ?? name}: ${msg}</a></li>`,
  )}</ul></div>`;
}

/** A confirmation or information line (role=status: read out without moving focus). */
export const notice = (text: Interpolation): Html => html`<p class="notice" role="status">${text}</p>`;

/** Date and time for the locale. */
export function fmtDateTime(lang: Lang, d: Date): string {
  const locale = lang === 'ar' ? 'ar-u-nu-latn' : lang === 'zh' ? 'zh-Hans' : lang;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(
    d,
  );
}

/** A percentage (0.72 → "72 %") for the locale. */
export function pct(lang: Lang, v: number): string {
  const locale = lang === 'ar' ? 'ar-u-nu-latn' : lang === 'zh' ? 'zh-Hans' : lang;
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(v);
}

/** A number with two decimals for the locale. */
export function num2(lang: Lang, v: number): string {
  const locale = lang === 'ar' ? 'ar-u-nu-latn' : lang === 'zh' ? 'zh-Hans' : lang;
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(v);
}

/** A form field's value as one string ('' when absent; the first when repeated). */
export function str(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' ? s : '';
}

/** A form field's values (checkbox groups). */
export function strs(body: Record<string, unknown>, name: string): string[] {
  const v = body[name];
  const all = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return all.filter((s): s is string => typeof s === 'string');
}
