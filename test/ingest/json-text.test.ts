import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PontisError } from '../../src/core/errors.ts';
import { JsonStreamParser } from '../../src/ingest/json-stream.ts';
import { jsonErrorOffset } from '../../src/ingest/json-text.ts';

describe('jsonErrorOffset', () => {
  it('points at the first syntax error', () => {
    expect(jsonErrorOffset('{"a": [1, 2,]}')).toBe(12);
    expect(jsonErrorOffset('{\n "data": {\n  "dataSets": [}\n}')).toBe(28); // the '}' after '['
    expect(jsonErrorOffset('[1, 2')).toBe(5);
    expect(jsonErrorOffset('{"a": tru}')).toBe(6);
    expect(jsonErrorOffset('"abc')).toBe(4);
    expect(jsonErrorOffset('[1] x')).toBe(4);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
  });

  it('finds no error in valid JSON (returns the length)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v, null, 1);
        expect(jsonErrorOffset(text)).toBe(text.length);
      }),
      { numRuns: 200 },
    );
  });
});

/** Parse `text` cut into `cuts` pieces, with a visitor that descends everywhere; scalars by path. */
function events(text: string, cuts: number[], action: 'descend' | 'capture' = 'descend') {
  const out: [string, unknown][] = [];
  const p = new JsonStreamParser('t.json', {
    enter: () => action,
    value: (path, v) => out.push([JSON.stringify(path), v]),
    leave: (path, kind) => out.push([JSON.stringify(path), kind]),
  });
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    const end = Math.min(Math.max(c, at), text.length);
    p.write(text.slice(at, end));
    at = end;
  }
  p.write(text.slice(at));
  p.end();
  return out;
}

/** The same events, worked out from JSON.parse's value. */
function expectedEvents(v: unknown, path: (string | number)[] = [], out: [string, unknown][] = []) {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      expectedEvents(x, [...path, i], out);
    });
    out.push([JSON.stringify(path), 'array']);
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) expectedEvents(x, [...path, k], out);
    out.push([JSON.stringify(path), 'object']);
  } else out.push([JSON.stringify(path), v]);
  return out;
}

/** The error message (or 'ok') for `text` cut into pieces. */
function outcome(text: string, cuts: number[]): string {
  try {
    events(text, cuts);
    return 'ok';
  } catch (e) {
    expect(e).toBeInstanceOf(PontisError);
    return (e as PontisError).message;
  }
}

describe('JsonStreamParser', () => {
  const cuts = fc.array(fc.nat({ max: 400 }), { maxLength: 6 });

  it('gives what JSON.parse gives, however the text is cut into chunks', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), cuts, (v, pretty, cs) => {
        const text = JSON.stringify(v, null, pretty ? 2 : undefined);
        expect(events(text, cs)).toEqual(expectedEvents(JSON.parse(text)));
        expect(events(text, cs, 'capture')).toEqual([['[]', JSON.parse(text)]]);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts exactly what JSON.parse accepts, and reports the same error for any chunking', () => {
    const interesting = fc.constantFrom(...'{}[]:,"\\ \n0-.eE+tfnu\u0001x'.split(''));
    fc.assert(
      fc.property(
        fc.jsonValue({ maxDepth: 3 }),
        fc.array(fc.record({ at: fc.nat(), ch: interesting, del: fc.boolean() }), { maxLength: 3 }),
        cuts,
        (v, edits, cs) => {
          let text = JSON.stringify(v, null, 1);
          for (const e of edits) {
            const i = e.at % (text.length + 1);
            text = e.del ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + e.ch + text.slice(i);
          }
          let valid = true;
          try {
            JSON.parse(text);
          } catch {
            valid = false;
          }
          const whole = outcome(text, []);
          expect(whole === 'ok').toBe(valid);
          expect(outcome(text, cs)).toBe(whole);
          expect(jsonErrorOffset(text) === text.length).toBe(
            valid || whole.includes(`(character ${text.length})`),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('names the line and column, counted across chunks', () => {
    // Line 3 is ` tru]}`: the bad literal starts at character 12 (after "{", "\n", `"a": [1,`, "\n", " "),
    // column 12 - 10 = 2; cut anywhere, also inside the literal.
    const text = '{\n"a": [1,\n tru]}';
    for (const cs of [[], [1], [12, 14], [13, 15, 16, 17]]) {
      expect(outcome(text, cs)).toBe(
        't.json:3: malformed JSON at line 3, column 2 (character 12): expected "true"',
      );
    }
    // "1e" cut between "1" and "e": the valid prefix "1" ends at character 7 (line 2 starts at 2).
    expect(outcome('[\n 2, 1e', [7])).toBe(
      't.json:2: malformed JSON at line 2, column 6 (character 7): the number is incomplete',
    );
    expect(outcome('[1,\n2', [2, 4])).toBe(
      't.json:2: malformed JSON at line 2, column 2 (character 5): unexpected end of JSON input',
    );
    expect(outcome('{"k\u0001": 1}', [2])).toBe(
      't.json:1: malformed JSON at line 1, column 4 (character 3): control character U+0001 in a string',
    );
  });
});
