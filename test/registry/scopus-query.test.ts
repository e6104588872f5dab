import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PontisError } from '../../src/core/errors.ts';
import { formatQuery, matchQuery, parseQuery, singular, TextIndex } from '../../src/registry/scopus-query.ts';

const f = (q: string) => formatQuery(parseQuery(q));
const m = (q: string, text: string) => matchQuery(parseQuery(q), text).matched;

function errorOf(q: string): PontisError {
  try {
    parseQuery(q);
  } catch (e) {
    if (e instanceof PontisError) return e;
    throw e;
  }
  throw new Error(`no error for ${q}`);
}

describe('parseQuery: Scopus precedence (OR, then W/n and PRE/n, then AND, then AND NOT)', () => {
  it('OR binds tighter than AND', () => {
    expect(f('mouse OR rat AND rodent')).toBe('(("mouse" OR "rat") AND "rodent")');
    expect(f('rodent AND rat OR mouse')).toBe('("rodent" AND ("rat" OR "mouse"))');
  });
  it('AND NOT is the loosest and takes everything to its right', () => {
    expect(f('mouse AND NOT cat OR dog')).toBe('("mouse" AND NOT ("cat" OR "dog"))');
    expect(f('cat AND dog AND NOT rodent OR mouse')).toBe(
      '(("cat" AND "dog") AND NOT ("rodent" OR "mouse"))',
    );
    expect(f('cold AND NOT flu AND rhinovirus')).toBe('("cold" AND NOT ("flu" AND "rhinovirus"))');
    expect(f('a AND NOT b AND NOT c')).toBe('(("a" AND NOT "b") AND NOT "c")');
  });
  it('OR binds tighter than W/n, and W/n tighter than AND', () => {
    expect(f('sensor W/15 robot AND water OR orbit OR planet')).toBe(
      '(("sensor" W/15 "robot") AND ("water" OR "orbit" OR "planet"))',
    );
    expect(f('a W/3 b OR c')).toBe('("a" W/3 ("b" OR "c"))');
    expect(f('a W/3 b PRE/2 c')).toBe('(("a" W/3 "b") PRE/2 "c")');
  });
  it('parentheses, field codes, juxtaposition, lower-case operators', () => {
    expect(f('TITLE-ABS-KEY( ("poverty") W/3 ("end" OR "ending") )')).toBe(
      'TITLE-ABS-KEY(("poverty" W/3 ("end" OR "ending")))',
    );
    expect(f('wind power')).toBe('("wind" AND "power")');
    expect(f('wind or solar and power')).toBe('(("wind" OR "solar") AND "power")');
    expect(f('{exact phrase} OR "Socio-Economic*"')).toBe('({exact phrase} OR "socio economic*")');
  });
  it('reads every published Aurora query line', () => {
    const rows: Array<Record<string, string>> = parse(
      readFileSync(new URL('../../data/registry/aurora_queries_by_line.csv', import.meta.url)),
      { columns: true, bom: true },
    );
    expect(rows).toHaveLength(378);
    for (const r of rows) expect(() => parseQuery(r.query!), `${r.target}: ${r.query}`).not.toThrow();
    // Target 1.2, line 1, as Scopus reads it: the trailing OR joins the right operand of W/3.
    expect(f(rows[4]!.query!)).toMatch(
      /^\("poverty" W\/3 \(\("living" OR .* OR "income\*"\) OR "poverty line\*"\)\)$/,
    );
  });
});

describe('parseQuery: malformed queries give a PontisError naming the column', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['', 1, /empty query/],
    ['(poverty OR hunger', 19, /\( at column 1 is not closed/],
    ['poverty)', 8, /unbalanced \)/],
    ['"poverty W/3 end', 1, /unterminated phrase/],
    ['poverty OR', 11, /ends where a term/],
    ['poverty AND OR hunger', 13, /expected a term.*OR/],
    ['NOT poverty', 1, /NOT must follow AND/],
    ['a W/3 (b AND c)', 7, /right operand of W\/3/],
    ['(a AND b) W/3 c', 1, /left operand of W\/3/],
    ['a W/300 b', 3, /distance must be 0–255/],
    ['()', 1, /empty parentheses/],
    ['"*"', 1, /wildcard needs at least one letter/],
    ['"--"', 1, /has no words/],
    ['TITLE-ABS-KEY(a', 16, /\( of TITLE-ABS-KEY at column 14 is not closed/],
  ];
  for (const [q, col, re] of cases) {
    it(JSON.stringify(q), () => {
      const e = errorOf(q);
      expect(e.code).toBe('invalid_input');
      expect(e.details).toEqual({ position: col });
      expect(e.message).toContain(`column ${col}`);
      expect(e.message).toMatch(re);
    });
  }

  it('any string gives an AST or a PontisError with a position inside it, never another exception', () => {
    const pieces = fc.constantFrom(
      '(',
      ')',
      '"',
      '{',
      '}',
      'AND',
      'OR',
      'NOT',
      'AND NOT',
      'W/3',
      'PRE/0',
      'w/999',
      'TITLE-ABS-KEY(',
      'poverty',
      'educat*',
      '*',
      '?',
      'wom?n',
      '"social protection"',
      '-',
      ' ',
      'é',
      '教育',
    );
    const query = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.array(pieces, { maxLength: 14 }).map((a) => a.join(' ')),
      fc.array(pieces, { maxLength: 14 }).map((a) => a.join('')),
    );
    fc.assert(
      fc.property(query, fc.string({ maxLength: 60 }), (q, text) => {
        let ast: ReturnType<typeof parseQuery>;
        try {
          ast = parseQuery(q);
        } catch (e) {
          if (!(e instanceof PontisError)) return false;
          const pos = (e.details as { position: number }).position;
          return e.code === 'invalid_input' && Number.isInteger(pos) && pos >= 1 && pos <= q.length + 1;
        }
        const r = matchQuery(ast, text);
        return typeof r.matched === 'boolean' && Array.isArray(r.evidence);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('matchQuery', () => {
  it('W/n allows at most n words between the operands, in either order', () => {
    const q = '("poverty") W/3 ("reduc*" OR "end")';
    expect(m(q, 'Reducing extreme poverty.')).toBe(true); // 1 word between
    expect(m(q, 'poverty, one two three, end')).toBe(true); // 3 between
    expect(m(q, 'poverty one two three four end')).toBe(false); // 4 between
    expect(m(q, 'The end of poverty')).toBe(true); // other order, 1 between
    expect(m('a W/0 b', 'b a')).toBe(true);
    expect(m('a W/0 b', 'a x b')).toBe(false);
  });
  it('PRE/n keeps the order', () => {
    expect(m('heart PRE/0 attack', 'a heart attack')).toBe(true);
    expect(m('heart PRE/0 attack', 'attack heart')).toBe(false);
  });
  it('W/n needs two different words; chains run left to right over spans', () => {
    expect(m('"poverty" W/3 "poverty line*"', 'the poverty line')).toBe(false);
    expect(m('"poverty" W/3 "poverty line*"', 'poverty below the poverty lines')).toBe(true);
    const chain = '("poverty") W/3 ("develop*") W/3 ("program*" OR "polic*")';
    expect(m(chain, 'poverty and development policies')).toBe(true);
    expect(m(chain, 'development policies')).toBe(false);
    // "poverty reduction" spans words 0–1; the chain measures from its last word.
    expect(m('(poverty W/0 reduction) W/1 strategy', 'poverty reduction national strategy')).toBe(true);
  });
  it('phrases are consecutive words; punctuation and hyphens separate words', () => {
    expect(m('"socio-economic*"', 'their socio economically weak position')).toBe(true);
    expect(m('"socio-economic*"', 'socio and economic')).toBe(false);
    expect(m('"women\'s property rights"', "Women's property rights matter")).toBe(true);
    expect(m('"social protection"', 'protection, social')).toBe(false);
  });
  it('case, diacritics, plurals; exact phrases and wildcards', () => {
    expect(m('"POLICY"', 'several policies')).toBe(true);
    expect(m('"seas"', 'the sea')).toBe(true);
    expect(m('{policy}', 'several policies')).toBe(false);
    expect(m('"cafe"', 'Café')).toBe(true);
    expect(m('"wom?n"', 'women and men')).toBe(true);
    expect(m('"wom?n"', 'woman')).toBe(true);
    expect(m('"wom?n"', 'womxyn')).toBe(false);
    expect(m('"*ocean"', 'the Atlantic')).toBe(false);
    expect(m('"reduc*"', 'REDUCTION')).toBe(true);
    expect(m('"reduc*"', 'redo')).toBe(false);
  });
  it('AND, OR, AND NOT', () => {
    const q =
      '( ( "sustainab*" OR "conserv*" ) W/3 ( "forest*" OR "soil" ) ) AND NOT ( "marine" OR "ocean*" OR "sea" )';
    expect(m(q, 'Conservation of tropical forests')).toBe(true);
    expect(m(q, 'Conservation of forests near the sea')).toBe(false);
    expect(m('a AND b', 'b then a')).toBe(true);
    expect(m('a AND b', 'a alone')).toBe(false);
  });
  it('evidence: the matched stretches of the text as written, in order', () => {
    const r = matchQuery(
      parseQuery('("poverty") W/3 ("reduc*") OR "income"'),
      'Efforts at Reducing rural POVERTY.',
    );
    expect(r).toEqual({ matched: true, evidence: ['Reducing rural POVERTY'] });
    const n = matchQuery(parseQuery('a AND NOT b'), 'a b');
    expect(n).toEqual({ matched: false, evidence: [] });
    // The left side's evidence is kept only when the whole query matches.
    expect(matchQuery(parseQuery('"water" AND "sanitation"'), 'water only').evidence).toEqual([]);
  });
  it('a TextIndex can be reused across queries', () => {
    const t = new TextIndex('Access to clean water and sanitation');
    expect(matchQuery(parseQuery('"clean water"'), t).matched).toBe(true);
    expect(matchQuery(parseQuery('"sanitation" W/2 "access"'), t).matched).toBe(false);
    expect(matchQuery(parseQuery('"sanitation" W/4 "access"'), t).matched).toBe(true);
  });
  it('singular', () => {
    expect(['policies', 'classes', 'seas', 'access', 'bus', 'crisis'].map(singular)).toEqual([
      'policy',
      'class',
      'sea',
      'access',
      'bus',
      'crisis',
    ]);
  });
});
