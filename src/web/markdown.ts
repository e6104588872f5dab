/**
 * A minimal, safe Markdown to HTML converter for the methodology pages: ATX headings (with ids),
 * paragraphs, bullet and numbered lists (continuation lines joined), pipe tables, fenced and
 * indented code, and inline code, bold, italic and links. Every piece of text is escaped; raw HTML
 * in the source is shown as text; links are kept only for http(s), site-relative and #anchors.
 */
import { esc } from './html.ts';

export interface Heading {
  level: number;
  text: string;
  id: string;
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

function safeHref(href: string): string | null {
  if (/^(https?:\/\/|\/|#)/i.test(href)) return href;
  if (/^[\w./-]+(#[\w-]*)?$/.test(href) && !href.includes(':')) return href;
  return null;
}

/** Inline markup on one line of source text (escaping first, so nothing raw passes). */
export function inline(src: string): string {
  const parts: string[] = [];
  // Code spans are taken out first so that their content is never parsed further.
  const re = /`([^`]+)`/g;
  let last = 0;
  for (let m = re.exec(src); m; m = re.exec(src)) {
    parts.push(inlineText(src.slice(last, m.index)), `<code>${esc(m[1]!)}</code>`);
    last = m.index + m[0].length;
  }
  parts.push(inlineText(src.slice(last)));
  return parts.join('');
}

function inlineText(s: string): string {
  let out = '';
  const link = /\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (let m = link.exec(s); m; m = link.exec(s)) {
    out += emphasis(esc(s.slice(last, m.index)));
    const href = safeHref(m[2]!);
    out += href ? `<a href="${esc(href)}">${emphasis(esc(m[1]!))}</a>` : emphasis(esc(m[1]!));
    last = m.index + m[0].length;
  }
  return out + emphasis(esc(s.slice(last)));
}

function emphasis(escaped: string): string {
  return escaped
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[\s(])\*([^*\s][^*]*)\*(?=[\s).,;:]|$)/g, '$1<em>$2</em>');
}

function tableCells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());
}

export interface Rendered {
  html: string;
  headings: Heading[];
}

/**
 * Renders Markdown. `shift` moves heading levels down (1: `#` becomes <h2>) so that the page's own
 * <h1> stays the only one.
 */
export function markdown(src: string, shift = 1): Rendered {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  const headings: Heading[] = [];
  const used = new Set<string>();
  let i = 0;
  const isBlank = (l: string | undefined) => l === undefined || l.trim() === '';
  const isList = (l: string) => /^\s{0,3}([-*+]|\d+[.)])\s+/.test(l);
  const isTableStart = (l: string, next: string | undefined) =>
    l.trim().startsWith('|') && next !== undefined && /^\s*\|?\s*:?-{3,}/.test(next);
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = /^\s*```/.exec(line);
    if (fence) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !/^\s*```/.test(lines[i]!)) code.push(lines[i++]!);
      i++;
      out.push(`<pre><code>${esc(code.join('\n'))}</code></pre>`);
      continue;
    }
    if (/^ {4}/.test(line)) {
      const code: string[] = [];
      while (
        i < lines.length &&
        (/^ {4}/.test(lines[i]!) || (isBlank(lines[i]) && /^ {4}/.test(lines[i + 1] ?? '')))
      ) {
        code.push(lines[i++]!.slice(4));
      }
      out.push(`<pre><code>${esc(code.join('\n'))}</code></pre>`);
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const level = Math.min(6, h[1]!.length + shift);
      const text = h[2]!;
      let id = slug(text) || 'section';
      while (used.has(id)) id += '-1';
      used.add(id);
      headings.push({ level, text, id });
      out.push(`<h${level} id="${esc(id)}">${inline(text)}</h${level}>`);
      i++;
      continue;
    }
    if (isTableStart(line, lines[i + 1])) {
      const head = tableCells(line);
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && lines[i]!.trim().startsWith('|')) rows.push(tableCells(lines[i++]!));
      out.push(
        `<div class="scroll"><table><thead><tr>${head.map((c) => `<th scope="col">${inline(c)}</th>`).join('')}</tr></thead><tbody>${rows
          .map((r) => `<tr>${head.map((_, j) => `<td>${inline(r[j] ?? '')}</td>`).join('')}</tr>`)
          .join('')}</tbody></table></div>`,
      );
      continue;
    }
    if (isList(line)) {
      const ordered = /^\s{0,3}\d+[.)]/.test(line);
      const items: string[] = [];
      const sameKind = (l: string) => isList(l) && /^\s{0,3}\d+[.)]/.test(l) === ordered;
      while (i < lines.length && !isBlank(lines[i]) && (sameKind(lines[i]!) || /^\s+\S/.test(lines[i]!))) {
        const l = lines[i]!;
        if (isList(l)) items.push(l.replace(/^\s{0,3}([-*+]|\d+[.)])\s+/, ''));
        else items[items.length - 1] += ` ${l.trim()}`;
        i++;
        // A blank line followed by another item of the same kind continues the list.
        if (isBlank(lines[i]) && lines[i + 1] !== undefined && sameKind(lines[i + 1]!)) i++;
      }
      const tag = ordered ? 'ol' : 'ul';
      out.push(`<${tag}>${items.map((it) => `<li>${inline(it)}</li>`).join('')}</${tag}>`);
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      !isBlank(lines[i]) &&
      !/^(#{1,6}\s|\s*```|\s{0,3}([-*+]|\d+[.)])\s)/.test(lines[i]!) &&
      !isTableStart(lines[i]!, lines[i + 1])
    ) {
      para.push(lines[i++]!.trim());
    }
    if (para.length === 0) para.push(lines[i++]!.trim());
    out.push(`<p>${inline(para.join(' '))}</p>`);
  }
  return { html: out.join('\n'), headings };
}
