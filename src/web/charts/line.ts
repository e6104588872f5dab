/**
 * Line chart as inline SVG, rendered on the server: one line per series, markers on each point,
 * direct labels at the line ends, axes with nice ticks. The SVG has a <title> and <desc> (the text
 * summary); the page also shows the equivalent data table. Colours pass 3:1 against white and
 * every series also has its own dash pattern, so colour is never the only cue.
 */
import { type Html, html, raw } from '../html.ts';
import { linear, niceTicks, r1 } from './scale.ts';

export interface LinePoint {
  year: number;
  value: number;
}

export interface LineSeries {
  label: string;
  points: LinePoint[];
}

export interface LineChartOptions {
  id: string;
  title: string;
  desc: string;
  series: LineSeries[];
  formatValue: (v: number) => string;
  formatYear: (y: number) => string;
  width?: number;
  height?: number;
}

export const PALETTE = [
  '#0b5cad',
  '#b3471d',
  '#1b7a3d',
  '#7a3ec2',
  '#6b4c00',
  '#c0136b',
  '#333333',
  '#00738a',
];
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '4 4', '1 2', '10 4', '3 6'];

export function lineChart(o: LineChartOptions): Html {
  const width = o.width ?? 760;
  const height = o.height ?? 380;
  const m = { top: 16, right: 200, bottom: 34, left: 64 };
  const pts = o.series.flatMap((s) => s.points);
  const years = pts.map((p) => p.year);
  const values = pts.map((p) => p.value);
  const y0 = Math.min(...years);
  const y1 = Math.max(...years);
  const lo = Math.min(0, ...values);
  const hi = Math.max(...values);
  const ticks = niceTicks(lo, hi, 5);
  const x = linear(y0, y1 === y0 ? y0 + 1 : y1, m.left, width - m.right);
  const y = linear(ticks[0]!, ticks[ticks.length - 1]!, height - m.bottom, m.top);
  const yearTicks = niceTicks(y0, y1, 8).filter((v) => v >= y0 && v <= y1 && Number.isInteger(v));

  const grid = ticks.map(
    (v) =>
      html`<line class="grid" x1="${m.left}" x2="${width - m.right}" y1="${r1(y(v))}" y2="${r1(y(v))}"/><text x="${m.left - 6}" y="${r1(y(v) + 4)}" text-anchor="end">${o.formatValue(v)}</text>`,
  );
  const xAxis = yearTicks.map(
    (v) =>
      html`<line x1="${r1(x(v))}" x2="${r1(x(v))}" y1="${height - m.bottom}" y2="${height - m.bottom + 5}" stroke="#767676"/><text x="${r1(x(v))}" y="${height - m.bottom + 18}" text-anchor="middle">${o.formatYear(v)}</text>`,
  );
  const lines = o.series.map((s, i) => {
    const colour = PALETTE[i % PALETTE.length]!;
    const dash = DASHES[i % DASHES.length]!;
    const sorted = [...s.points].sort((a, b) => a.year - b.year);
    const d = sorted.map((p, j) => `${j === 0 ? 'M' : 'L'}${r1(x(p.year))},${r1(y(p.value))}`).join('');
    const dots = sorted.map((p) => `<circle cx="${r1(x(p.year))}" cy="${r1(y(p.value))}" r="2.5"/>`).join('');
    const last = sorted[sorted.length - 1];
    const label = last
      ? html`<text x="${r1(x(last.year) + 6)}" y="${r1(y(last.value) + 4)}" fill="${colour}">${s.label}</text>`
      : '';
    return html`<g fill="${colour}" stroke="${colour}"><path d="${d}" fill="none" stroke-width="2"${dash ? html` stroke-dasharray="${dash}"` : ''}/><g stroke="none">${raw(dots)}</g>${label}</g>`;
  });
  return html`<svg class="chart" role="img" aria-labelledby="${o.id}-t ${o.id}-d" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" direction="ltr">
<title id="${o.id}-t">${o.title}</title><desc id="${o.id}-d">${o.desc}</desc>
<g class="axis">${grid}<line x1="${m.left}" x2="${width - m.right}" y1="${height - m.bottom}" y2="${height - m.bottom}" stroke="#767676"/>${xAxis}</g>
${lines}
</svg>`;
}
