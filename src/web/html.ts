/**
 * HTML strings with escaping by default: `html` is a tagged template that escapes every
 * interpolated value unless it is already `Html` (the output of another `html` call or `raw`).
 * Pages are plain functions returning `Html`; nothing user-supplied reaches the output unescaped.
 */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and quoted attribute values. */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Markup that is already safe (built by `html` or by trusted code). */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Interpolation = Html | string | number | null | undefined | false | readonly Interpolation[];

function render(v: Interpolation): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return esc(v as string | number);
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Trusted markup (never pass user input). */
export function raw(s: string): Html {
  return new Html(s);
}

/**
 * Text in another language than the page's (WCAG 3.1.2): sources, units and some names are English.
 * A <bdi> isolates it, so English with brackets and numbers stays intact inside Arabic text.
 */
export function foreign(text: string, textLang: string, pageLang: string): Html {
  return textLang === pageLang ? html`${text}` : html`<bdi lang="${textLang}">${text}</bdi>`;
}
