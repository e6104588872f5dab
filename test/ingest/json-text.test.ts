import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
