import { invalid } from '../core/errors.ts';
import type { IndicatorHint } from '../core/indicator.ts';
import type { RawObservation } from '../core/observation.ts';
import { batchedSync } from './batches.ts';
import { isObject, type Json, type JsonObject, jsonKind, readJson, scalarText } from './json-text.ts';
import type { Reader, ReaderOptions, ReadMeta, SourceFile, StreamRead } from './reader.ts';
import { dataflowId, type SdmxMapping, toObservation } from './sdmx-components.ts';

/**
 * SDMX-JSON data messages, versions 1.0 (`data.structure`) and 2.0 (`data.structures[]`, each data set
 * pointing to one with `structure`), and the pre-1.0 layout with `dataSets`/`structure` at the top.
 * Both data-set layouts: flat (dimensionAtObservation=AllDimensions, `observations` keyed "0:1:…") and
 * series-keyed (`series` keyed by the series dimensions, each with `observations` keyed by the
 * observation dimensions). Observation arrays are `[value…, attribute…]` (2.0: one value per measure);
 * attribute entries are indexes into the attribute's values, inline values (strings, or localised
 * objects), or null (not set). Data-set-level dimensions and attributes apply to every observation.
 * Component mapping (and no UNIT_MULT scaling): see sdmx-components.ts.
 *
 * `line` is the 1-based ordinal of the observation in the message (data sets, series and
 * observations in document order), not a line of the file.
 */

interface Component {
  id: string;
  values: Json[];
  defaultValue?: string;
}

export const sdmxJsonReader: Reader = {
  format: 'sdmx-json',
  description: 'SDMX-JSON data message 1.0 / 2.0',
  sniff(head) {
    const t = head.trimStart();
    return (
      (t.startsWith('{') && t.includes('"dataSets"')) ||
      (t.startsWith('{') && /"structures?"\s*:/.test(t) && t.includes('"dimensions"'))
    );
  },
  async read(src: SourceFile, options: ReaderOptions = {}): Promise<StreamRead> {
    const doc = await readJson(src);
    if (!isObject(doc)) {
      throw invalid(`${src.file}: expected an SDMX-JSON message object, got ${jsonKind(doc)}`, {
        file: src.file,
      });
    }
    const data = isObject(doc.data) ? doc.data : doc;
    const dataSets = data.dataSets;
    if (!Array.isArray(dataSets)) {
      throw invalid(`${src.file}: no "dataSets" array; is this an SDMX-JSON data message?`, {
        file: src.file,
        field: 'data.dataSets',
      });
    }
    const structures: JsonObject[] = Array.isArray(data.structures)
      ? data.structures.filter(isObject)
      : isObject(data.structure)
        ? [data.structure]
        : [];
    if (structures.length === 0) {
      throw invalid(`${src.file}: no "structure" (1.0) or "structures" (2.0) in the message`, {
        file: src.file,
        field: 'data.structure',
      });
    }
    const meta: ReadMeta = { indicators: [], missing: 0 };
    const header = isObject(doc.meta) ? doc.meta : isObject(doc.header) ? doc.header : {};
    // No data vintage in the message: the time it was prepared is the closest thing.
    const prepared = scalarText(header.prepared);
    if (prepared) meta.vintage = prepared;
    // The sender id, not its name: names in real headers are not reliable.
    const sender = isObject(header.sender) ? scalarText(header.sender.id) : '';
    if (sender) meta.source = sender;

    const plans = dataSets.map((ds, i) => {
      if (!isObject(ds)) {
        throw invalid(`${src.file}: data set ${i} is ${jsonKind(ds)}, not an object`, {
          file: src.file,
          field: `dataSets[${i}]`,
        });
      }
      const si = typeof ds.structure === 'number' ? ds.structure : 0;
      const structure = structures[si];
      if (!structure) {
        throw invalid(
          `${src.file}: data set ${i} refers to structure ${si}, which the message does not have`,
          {
            file: src.file,
            field: `dataSets[${i}].structure`,
          },
        );
      }
      return plan(src.file, ds, structure, doc, meta);
    });
    return { kind: 'stream', meta, batches: batchedSync(observations(plans, meta), options.batchSize) };
  },
};

interface Plan {
  ds: JsonObject;
  mapping: SdmxMapping;
  datasetDims: Component[];
  seriesDims: Component[];
  obsDims: Component[];
  datasetAttrs: Component[];
  seriesAttrs: Component[];
  obsAttrs: Component[];
  measures: number;
}

function plan(file: string, ds: JsonObject, structure: JsonObject, doc: JsonObject, meta: ReadMeta): Plan {
  const dims = isObject(structure.dimensions) ? structure.dimensions : {};
  const attrs = isObject(structure.attributes) ? structure.attributes : {};
  const datasetDims = components(dims.dataSet ?? dims.dataset);
  const seriesDims = components(dims.series);
  const obsDims = components(dims.observation);
  const all = [...datasetDims, ...seriesDims, ...obsDims];
  if (all.length === 0) {
    throw invalid(`${file}: the structure lists no dimensions`, { file, field: 'structure.dimensions' });
  }
  const measures =
    isObject(structure.measures) && Array.isArray(structure.measures.observation)
      ? Math.max(1, structure.measures.observation.length)
      : 1;
  const flow = findDataflow(ds, structure, doc);
  const mapping: SdmxMapping = { dimensions: all.map((c) => c.id), dataflow: flow };
  // Indicator hints: the INDICATOR/SERIES dimension's codes and names, or the dataflow and its name.
  const ind = all.find((c) => c.id === 'INDICATOR' || c.id === 'SERIES');
  if (ind) {
    for (const v of ind.values) {
      if (!isObject(v)) continue;
      const code = scalarText(v.id);
      const name = localised(v.name ?? v.names);
      if (code && !meta.indicators.some((h) => h.code === code)) meta.indicators.push(hint(code, name));
    }
  } else if (flow && !meta.indicators.some((h) => h.code === flow)) {
    meta.indicators.push(hint(flow, localised(structure.name ?? structure.names)));
  }
  return {
    ds,
    mapping,
    datasetDims,
    seriesDims,
    obsDims,
    datasetAttrs: components(attrs.dataSet ?? attrs.dataset),
    seriesAttrs: components(attrs.series),
    obsAttrs: components(attrs.observation),
    measures,
  };
}

function* observations(plans: Plan[], meta: ReadMeta): Generator<RawObservation> {
  let ordinal = 0;
  for (const p of plans) {
    const base = new Map<string, string>();
    for (const d of p.datasetDims) base.set(d.id, valueId(d.values[0]));
    const dsAttrValues = Array.isArray(p.ds.attributes) ? p.ds.attributes : undefined;
    p.datasetAttrs.forEach((a, i) => {
      // 2.0 (and 1.0 when present) gives data-set attribute values in dataSets[].attributes; a
      // 1.0 data-set attribute with a single value and no such entry has that value.
      const v = dsAttrValues
        ? resolve(a, dsAttrValues[i])
        : a.values.length === 1
          ? valueId(a.values[0])
          : '';
      base.set(a.id, v || a.defaultValue || '');
    });

    const emit = (values: Map<string, string>, obs: Json): RawObservation | undefined => {
      ordinal++;
      const arr = Array.isArray(obs) ? obs : [obs];
      const raw = arr[0];
      if (
        raw === null ||
        raw === undefined ||
        raw === '' ||
        (typeof raw === 'string' && raw.toLowerCase() === 'nan')
      ) {
        meta.missing++;
        return undefined;
      }
      p.obsAttrs.forEach((a, i) => {
        const v = resolve(a, arr[p.measures + i]);
        values.set(a.id, v || a.defaultValue || '');
      });
      return toObservation(ordinal, scalarText(raw), p.mapping, values);
    };

    if (isObject(p.ds.series)) {
      for (const [key, s] of Object.entries(p.ds.series)) {
        if (!isObject(s)) continue;
        const seriesValues = new Map(base);
        setKey(seriesValues, p.seriesDims, key);
        const sAttr = Array.isArray(s.attributes) ? s.attributes : [];
        p.seriesAttrs.forEach((a, i) => {
          seriesValues.set(a.id, resolve(a, sAttr[i]) || a.defaultValue || '');
        });
        if (!isObject(s.observations)) continue;
        for (const [okey, o] of Object.entries(s.observations)) {
          const values = new Map(seriesValues);
          setKey(values, p.obsDims, okey);
          const r = emit(values, o);
          if (r) yield r;
        }
      }
    }
    if (isObject(p.ds.observations)) {
      for (const [key, o] of Object.entries(p.ds.observations)) {
        const values = new Map(base);
        setKey(values, [...p.seriesDims, ...p.obsDims], key);
        const r = emit(values, o);
        if (r) yield r;
      }
    }
  }
}

/** Set the dimension values a key "0:1:2" stands for. A bad index leaves the value empty. */
function setKey(values: Map<string, string>, dims: Component[], key: string) {
  const parts = key === '' ? [] : key.split(':');
  dims.forEach((d, i) => {
    const idx = Number(parts[i]);
    values.set(d.id, Number.isInteger(idx) ? valueId(d.values[idx]) : '');
  });
}

function components(list: Json | undefined): Component[] {
  if (!Array.isArray(list)) return [];
  const out: Component[] = [];
  for (const c of list) {
    if (!isObject(c)) continue;
    const id = scalarText(c.id).trim().toUpperCase();
    if (!id) continue;
    const comp: Component = { id, values: Array.isArray(c.values) ? c.values : [] };
    const def = scalarText(c.default);
    if (def) comp.defaultValue = def;
    out.push(comp);
  }
  return out;
}

/** An attribute entry: an index into its values, an inline value, or null (not set). */
function resolve(a: Component, entry: Json | undefined): string {
  if (entry === null || entry === undefined) return '';
  if (typeof entry === 'number' && Number.isInteger(entry)) return valueId(a.values[entry]);
  if (Array.isArray(entry))
    return entry
      .map((e) => resolve(a, e))
      .filter(Boolean)
      .join(';');
  if (isObject(entry)) return localised(entry);
  return scalarText(entry);
}

/** The code of a dimension or attribute value: its id, else its value, else its name. */
function valueId(v: Json | undefined): string {
  if (v === undefined || v === null) return '';
  if (!isObject(v)) return scalarText(v);
  return scalarText(v.id) || localised(v.value) || localised(v.name ?? v.names);
}

/** A plain or localised text ({"en": …}): English if present, else the first language. */
function localised(v: Json | undefined): string {
  if (v === undefined || v === null) return '';
  if (!isObject(v)) return scalarText(v);
  if (typeof v.en === 'string') return v.en;
  for (const x of Object.values(v)) if (typeof x === 'string') return x;
  return '';
}

function hint(code: string, name: string): IndicatorHint {
  return name ? { code, name } : { code };
}

/** The dataflow id from the data set's or structure's links, or from the request URL in the header. */
function findDataflow(ds: JsonObject, structure: JsonObject, doc: JsonObject): string {
  for (const links of [ds.links, structure.links]) {
    if (!Array.isArray(links)) continue;
    for (const l of links) {
      if (!isObject(l) || scalarText(l.rel) !== 'dataflow') continue;
      const urn = scalarText(l.urn);
      if (urn) return dataflowId(urn);
      const m = /\/dataflow\/[^/]+\/([^/]+)/.exec(scalarText(l.href));
      if (m) return m[1] as string;
    }
  }
  const header = isObject(doc.meta) ? doc.meta : {};
  if (Array.isArray(header.links)) {
    for (const l of header.links) {
      if (!isObject(l)) continue;
      const m = /\/data\/(?:[^,/]+,)?([^,/]+)/.exec(scalarText(l.href));
      if (m) return m[1] as string;
    }
  }
  for (const links of [ds.links, structure.links]) {
    if (!Array.isArray(links)) continue;
    for (const l of links) {
      if (isObject(l) && scalarText(l.rel) === 'datastructure' && scalarText(l.urn))
        return dataflowId(scalarText(l.urn));
    }
  }
  return '';
}
