/**
 * World choropleth as inline SVG, rendered on the server from the world-atlas TopoJSON (Natural
 * Earth 1:110m; features keyed by ISO 3166 numeric = M49). Geometry is decoded once, projected
 * (equirectangular, Antarctica left out) and rounded to 0.1 px, so the markup stays small; each
 * request only adds the fill classes. The page pairs the map with a text summary and a data table.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fromRoot } from '../../core/paths.ts';
import { type Html, html, raw } from '../html.ts';
import { r1 } from './scale.ts';

interface Topology {
  transform: { scale: [number, number]; translate: [number, number] };
  arcs: number[][][];
  objects: { countries: { geometries: TopoGeometry[] } };
}

interface TopoGeometry {
  type: 'Polygon' | 'MultiPolygon' | null;
  id?: string;
  arcs?: number[][] | number[][][];
  properties?: { name?: string };
}

export const WIDTH = 760;
const LAT_TOP = 84;
const LAT_BOTTOM = -58;
const K = WIDTH / 360;
export const HEIGHT = Math.round((LAT_TOP - LAT_BOTTOM) * K);

/** Sequential blues, light to dark; the lightest still differs from the no-data grey. */
export const CLASSES = ['#d6e6f4', '#9ecae1', '#4a98c9', '#1764ab', '#08306b'];

let features: Array<{ m49: string; d: string }> | null = null;

function load(): Array<{ m49: string; d: string }> {
  if (features) return features;
  const require = createRequire(fromRoot('package.json'));
  const topo = JSON.parse(
    readFileSync(require.resolve('world-atlas/countries-110m.json'), 'utf8'),
  ) as Topology;
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  // Decode the delta-encoded arcs to projected pixel coordinates.
  const arcs = topo.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx!;
      y += dy!;
      const lon = x * sx + tx;
      const lat = y * sy + ty;
      return [(lon + 180) * K, (LAT_TOP - lat) * K] as const;
    });
  });
  const ring = (idx: number[]): string => {
    const pts: (readonly [number, number])[] = [];
    for (const i of idx) {
      const a = i >= 0 ? arcs[i]! : [...arcs[~i]!].reverse();
      pts.push(...(pts.length ? a.slice(1) : a));
    }
    let out = '';
    let last = '';
    let prevX = Number.NaN;
    for (const [j, p] of pts.entries()) {
      const s = `${r1(p[0])},${r1(p[1])}`;
      if (s === last) continue;
      // A jump across the antimeridian (Fiji, Russia) starts a new sub-path instead of a stripe.
      out += (j === 0 || Math.abs(p[0] - prevX) > WIDTH / 2 ? 'M' : 'L') + s;
      last = s;
      prevX = p[0];
    }
    return `${out}Z`;
  };
  features = [];
  for (const g of topo.objects.countries.geometries) {
    if (!g.type || !g.arcs || g.id === '010') continue;
    const polys = (g.type === 'Polygon' ? [g.arcs] : g.arcs) as number[][][];
    const d = polys.map((p) => p.map(ring).join('')).join('');
    features.push({ m49: g.id ?? '', d });
  }
  return features;
}

export interface MapOptions {
  id: string;
  title: string;
  desc: string;
  /** Value class (0..CLASSES.length-1) and label for each M49 code with data. */
  classes: Map<string, { cls: number; label: string }>;
}

export function worldMap(o: MapOptions): Html {
  const paths = load().map((f) => {
    const c = o.classes.get(f.m49);
    return c
      ? html`<path d="${raw(f.d)}" fill="${CLASSES[c.cls]!}"><title>${c.label}</title></path>`
      : html`<path class="nd" d="${raw(f.d)}"/>`;
  });
  return html`<svg class="map" role="img" aria-labelledby="${o.id}-t ${o.id}-d" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}">
<title id="${o.id}-t">${o.title}</title><desc id="${o.id}-d">${o.desc}</desc>
${paths}
</svg>`;
}

/** Class breaks: quantiles of the values (at most CLASSES.length classes). */
export function breaks(values: readonly number[]): number[] {
  const s = [...values].sort((a, b) => a - b);
  const n = CLASSES.length;
  const out: number[] = [];
  for (let i = 1; i < n; i++) {
    const q = s[Math.min(s.length - 1, Math.floor((i * s.length) / n))];
    if (q !== undefined && (out.length === 0 || q > out[out.length - 1]!)) out.push(q);
  }
  return out;
}

export function classOf(v: number, b: readonly number[]): number {
  let i = 0;
  while (i < b.length && v >= b[i]!) i++;
  return i;
}
