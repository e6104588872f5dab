import { invalid } from '../core/errors.ts';
import type { IndicatorHint } from '../core/indicator.ts';
import type { RawObservation } from '../core/observation.ts';
import {
  JsonFeed,
  type JsonPath,
  JsonStreamParser,
  type JsonVisitor,
  ObservationQueue,
} from './json-stream.ts';
import { isObject, type Json, type JsonObject, jsonKind, scalarText } from './json-text.ts';
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
 *
 * Streamed in two passes over the text (src.text() is opened twice; json-stream.ts parses it):
 * the structure may come after the data sets (the 1.0 samples put `dataSets` first, .Stat's pre-1.0
 * messages `structure` last) and a data set's `structure` and `attributes` after its `series`, and
 * series keys cannot be decoded without them. Pass 1, in read(), keeps everything except the
 * data sets' `series` and `observations` (only checked), so every malformed-JSON and shape error is
 * thrown before the first batch. Pass 2, as the batches are taken, keeps one series (with its
 * observations) or one flat observation at a time. Memory is bounded by the structure and the
 * largest series, not by the file; the cost is reading (and gunzipping) the file twice. A member
 * given twice is read where it last appears, as JSON.parse would.
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
    // Pass 1: everything but the series and observations, whatever the order of the members.
    const sk = await skeleton(src);
    const level = sk.dataIsObject ? sk.data : sk.top;
    const dataSets = level.dataSets;
    if (!Array.isArray(dataSets)) {
      throw invalid(`${src.file}: no "dataSets" array; is this an SDMX-JSON data message?`, {
        file: src.file,
        field: 'data.dataSets',
      });
    }
    const structures: JsonObject[] = Array.isArray(level.structures)
      ? level.structures.filter(isObject)
      : isObject(level.structure)
        ? [level.structure]
        : [];
    if (structures.length === 0) {
      throw invalid(`${src.file}: no "structure" (1.0) or "structures" (2.0) in the message`, {
        file: src.file,
        field: 'data.structure',
      });
    }
    const meta: ReadMeta = { indicators: [], missing: 0 };
    const header = isObject(sk.top.meta) ? sk.top.meta : isObject(sk.top.header) ? sk.top.header : {};
    // No data vintage in the message: the time it was prepared is the closest thing.
    const prepared = scalarText(header.prepared);
    if (prepared) meta.vintage = prepared;
    // The sender id, not its name: names in real headers are not reliable.
    const sender = isObject(header.sender) ? scalarText(header.sender.id) : '';
    if (sender) meta.source = sender;
    const doc: JsonObject = isObject(sk.top.meta) ? { meta: sk.top.meta } : {};

    const plans = dataSets.map((d, i) => {
      if (d.notObject !== undefined) {
        throw invalid(`${src.file}: data set ${i} is ${d.notObject}, not an object`, {
          file: src.file,
          field: `dataSets[${i}]`,
        });
      }
      const ds = d.members;
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
    return {
      kind: 'stream',
      meta,
      batches: observations(src, sk, plans, meta, new ObservationQueue(options.batchSize)),
      // The second pass opens the file when the batches are first taken: nothing to close before.
      close: async () => undefined,
    };
  },
};

// ---- pass 1: the skeleton ----

/** A member that may appear more than once (JSON.parse keeps the last one; so do both passes). */
interface Repeated {
  /** How many times it appears. */
  count: number;
  /** Whether its last appearance is an object (or an array, for dataSets). */
  last: boolean;
}

interface DataSetSkeleton {
  /** Set when the data set is not an object: its kind, for the message. */
  notObject?: string;
  /** Its members other than series and observations. */
  members: JsonObject;
  series: Repeated;
  observations: Repeated;
}

interface Level {
  /** The last "dataSets" member if it is an array. */
  dataSets?: DataSetSkeleton[];
  dataSetsSeen: Repeated;
  structure?: Json;
  structures?: Json;
}

interface Skeleton {
  /** The top-level members used: meta, header, and the pre-1.0 dataSets and structure. */
  top: Level & { meta?: Json; header?: Json };
  /** The members of the last "data" (1.0, 2.0), if it is an object. */
  data: Level;
  dataSeen: Repeated;
  dataIsObject: boolean;
}

const newLevel = (): Level => ({ dataSetsSeen: { count: 0, last: false } });

async function skeleton(src: SourceFile): Promise<Skeleton> {
  const sk: Skeleton = {
    top: newLevel(),
    data: newLevel(),
    dataSeen: { count: 0, last: false },
    dataIsObject: false,
  };
  const notMessage = (what: string) =>
    invalid(`${src.file}: expected an SDMX-JSON message object, got ${what}`, { file: src.file });
  /** The level a path starts in, and how deep into it the path goes. */
  const levelOf = (path: JsonPath): [Level, number] => (path[0] === 'data' ? [sk.data, 1] : [sk.top, 0]);
  const visitor: JsonVisitor = {
    enter(path, k) {
      if (path.length === 0) {
        if (k === 'array') throw notMessage('an array');
        return k === 'object' ? 'descend' : 'capture';
      }
      if (path.length === 1 && path[0] === 'data') {
        sk.dataSeen.count++;
        sk.dataSeen.last = k === 'object';
        if (k !== 'object') return 'skip';
        sk.data = newLevel();
        return 'descend';
      }
      if (path.length === 1 && (path[0] === 'meta' || path[0] === 'header')) return 'capture';
      const [level, at] = levelOf(path);
      const rel = path.length - at; // depth below the level
      const key = path[at];
      if (rel === 1) {
        if (key === 'structure' || key === 'structures') return 'capture';
        if (key !== 'dataSets') return 'skip';
        level.dataSetsSeen.count++;
        level.dataSetsSeen.last = k === 'array';
        if (k !== 'array') {
          delete level.dataSets;
          return 'skip';
        }
        level.dataSets = [];
        return 'descend';
      }
      const sets = level.dataSets as DataSetSkeleton[];
      if (rel === 2) {
        const d: DataSetSkeleton = {
          members: {},
          series: { count: 0, last: false },
          observations: { count: 0, last: false },
        };
        sets.push(d);
        if (k === 'object') return 'descend';
        if (k === 'array') {
          d.notObject = 'an array';
          return 'skip';
        }
        return 'capture';
      }
      // rel === 3: a member of a data set.
      const d = sets[sets.length - 1] as DataSetSkeleton;
      const name = path[at + 2];
      if (name === 'series' || name === 'observations') {
        d[name].count++;
        d[name].last = k === 'object';
        return 'skip';
      }
      return 'capture';
    },
    value(path, v) {
      if (path.length === 0) throw notMessage(jsonKind(v));
      if (path.length === 1 && (path[0] === 'meta' || path[0] === 'header')) {
        sk.top[path[0]] = v;
        return;
      }
      const [level, at] = levelOf(path);
      const rel = path.length - at;
      const key = path[at];
      if (rel === 1) {
        if (key === 'structure') level.structure = v;
        else level.structures = v;
        return;
      }
      const sets = level.dataSets as DataSetSkeleton[];
      const d = sets[sets.length - 1] as DataSetSkeleton;
      if (rel === 2) d.notObject = jsonKind(v);
      else d.members[path[at + 2] as string] = v;
    },
  };
  const feed = new JsonFeed(src, new JsonStreamParser(src.file, visitor));
  await feed.until(() => false);
  sk.dataIsObject = sk.dataSeen.last;
  return sk;
}

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

// ---- pass 2: the series and observations, streamed ----

/**
 * Reads the text again, parsing one series (or one flat observation) at a time, in document order,
 * with the plans pass 1 made.
 */
function observations(
  src: SourceFile,
  sk: Skeleton,
  plans: Plan[],
  meta: ReadMeta,
  queue: ObservationQueue,
): AsyncGenerator<RawObservation[]> {
  let ordinal = 0;
  const base = plans.map((p) => {
    const values = new Map<string, string>();
    for (const d of p.datasetDims) values.set(d.id, valueId(d.values[0]));
    const dsAttrValues = Array.isArray(p.ds.attributes) ? p.ds.attributes : undefined;
    p.datasetAttrs.forEach((a, i) => {
      // 2.0 (and 1.0 when present) gives data-set attribute values in dataSets[].attributes; a
      // 1.0 data-set attribute with a single value and no such entry has that value.
      const v = dsAttrValues
        ? resolve(a, dsAttrValues[i])
        : a.values.length === 1
          ? valueId(a.values[0])
          : '';
      values.set(a.id, v || a.defaultValue || '');
    });
    return values;
  });

  const emit = (p: Plan, values: Map<string, string>, obs: Json) => {
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
      return;
    }
    p.obsAttrs.forEach((a, i) => {
      const v = resolve(a, arr[p.measures + i]);
      values.set(a.id, v || a.defaultValue || '');
    });
    queue.push(toObservation(ordinal, scalarText(raw), p.mapping, values));
  };

  const series = (i: number, key: string, s: Json) => {
    const p = plans[i] as Plan;
    if (!isObject(s)) return;
    const seriesValues = new Map(base[i]);
    setKey(seriesValues, p.seriesDims, key);
    const sAttr = Array.isArray(s.attributes) ? s.attributes : [];
    p.seriesAttrs.forEach((a, k) => {
      seriesValues.set(a.id, resolve(a, sAttr[k]) || a.defaultValue || '');
    });
    if (!isObject(s.observations)) return;
    for (const [okey, o] of Object.entries(s.observations)) {
      const values = new Map(seriesValues);
      setKey(values, p.obsDims, okey);
      emit(p, values, o);
    }
  };

  const flat = (i: number, key: string, o: Json) => {
    const p = plans[i] as Plan;
    const values = new Map(base[i]);
    setKey(values, [...p.seriesDims, ...p.obsDims], key);
    emit(p, values, o);
  };

  const level = sk.dataIsObject ? sk.data : sk.top;
  const at = sk.dataIsObject ? 1 : 0;
  // Occurrences seen so far of the members that may repeat; only the last one is read.
  let dataSeen = 0;
  let dataSetsSeen = 0;
  const seen = plans.map(() => ({ series: 0, observations: 0 }));
  const visitor: JsonVisitor = {
    enter(path, k) {
      if (path.length === 0) return 'descend';
      if (sk.dataIsObject && path.length === 1) {
        if (path[0] !== 'data') return 'skip';
        return ++dataSeen === sk.dataSeen.count ? 'descend' : 'skip';
      }
      const rel = path.length - at;
      if (rel === 1) {
        if (path[at] !== 'dataSets') return 'skip';
        return ++dataSetsSeen === level.dataSetsSeen.count && k === 'array' ? 'descend' : 'skip';
      }
      const i = path[at + 1] as number;
      const d = level.dataSets?.[i];
      const counts = seen[i];
      // (No skeleton entry only if the file changed between the passes.)
      if (!d || !counts) return 'skip';
      if (rel >= 4) return 'capture'; // a series, or a flat observation
      if (k !== 'object') return 'skip';
      if (rel === 2) return 'descend';
      const name = path[at + 2];
      if (name !== 'series' && name !== 'observations') return 'skip';
      return ++counts[name] === d[name].count && d[name].last ? 'descend' : 'skip';
    },
    value(path, v) {
      const key = path[at + 3];
      if (path.length !== at + 4 || typeof key !== 'string') return;
      const i = path[at + 1] as number;
      if (path[at + 2] === 'series') series(i, key, v);
      else flat(i, key, v);
    },
  };
  const feed = new JsonFeed(src, new JsonStreamParser(src.file, visitor));
  return queue.batches(feed);
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
