import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { PontisError } from '../../src/core/errors.ts';
import { firstInvalidUtf8, openSource, readAllText, readHead } from '../../src/ingest/source.ts';
import { expectPontisError, fixture, latin1, TmpDir, utf16le } from './helpers.ts';

const tmp = new TmpDir();
afterAll(() => tmp.remove());

describe('openSource', () => {
  it('decodes UTF-8 and strips the BOM', async () => {
    const p = tmp.file(
      'bom.csv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\nCôte,1\n')]),
    );
    const src = await openSource(p, 'shown.csv');
    expect(src.file).toBe('shown.csv');
    expect(src.gzip).toBe(false);
    expect(await readAllText(src)).toBe('a,b\nCôte,1\n');
    expect(await readHead(src, 3)).toBe('');
  });

  it('detects gzip by magic bytes, whatever the name', async () => {
    const p = tmp.file('plain-name.csv', gzipSync('x,y\n1,2\n'));
    const src = await openSource(p);
    expect(src.gzip).toBe(true);
    expect(await readAllText(src)).toBe('x,y\n1,2\n');
    const q = tmp.file('looks-gz.csv.gz', 'x,y\n');
    expect((await openSource(q)).gzip).toBe(false);
  });

  it('decompresses the real World Bank JSON fixture byte for byte', async () => {
    const src = await openSource(fixture('SP.POP.TOTL.json.gz'));
    expect(src.gzip).toBe(true);
    const text = await readAllText(src);
    // 3,062,026 bytes, as format-samples/README.md gives the size of the uncompressed original.
    expect(Buffer.byteLength(text, 'utf8')).toBe(3_062_026);
    expect(
      text.startsWith('[{"page":1,"pages":1,"per_page":20000,"lastupdated":"2018-04-24","total":15312}'),
    ).toBe(true);
  });

  it('reports a missing file with its path', async () => {
    const err = await expectPontisError(
      openSource('/no/such/dir/data.csv'),
      '/no/such/dir/data.csv',
      'no such file',
    );
    expect(err.code).toBe('not_found');
  });

  it('reports empty files: 0 bytes, empty after gunzip, only BOM and white space', async () => {
    await expectPontisError(openSource(tmp.file('zero.csv', '')), 'zero.csv', 'is empty');
    await expectPontisError(openSource(tmp.file('gz-empty.csv', gzipSync(''))), 'gz-empty.csv', 'is empty');
    const blank = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(' \r\n\t\n')]);
    await expectPontisError(openSource(tmp.file('blank.csv', blank)), 'blank.csv', 'is empty');
  });

  it('reports a truncated gzip stream', async () => {
    const bytes = readFileSync(fixture('bis_der_sdmx-csv-1.0.csv'));
    const p = tmp.truncatedGzip('cut.csv.gz', bytes);
    // Found when opening (the head is read then) or while reading, depending on where the cut falls.
    const read = async () => readAllText(await openSource(p));
    await expectPontisError(read(), 'cut.csv.gz', 'gzip stream is truncated or corrupt');
  });

  it('reports a gzip stream that is corrupt from the start when opening', async () => {
    const gz = gzipSync('a,b\n1,2\n');
    const bad = Buffer.from(gz);
    bad.fill(0x41, 10, bad.length - 8);
    await expectPontisError(
      openSource(tmp.file('bad.gz', bad)),
      'bad.gz',
      'gzip stream is truncated or corrupt',
    );
  });

  it('reports invalid UTF-8 with the byte offset', async () => {
    const p = tmp.file('latin1.csv', latin1('indicator,geo\nx,Côte\n'));
    const src = await openSource(p);
    // "indicator,geo\nx,C" is 17 bytes; the latin1 ô (0xF4) is byte 17.
    const err = await expectPontisError(
      readAllText(src),
      'latin1.csv',
      'is not valid UTF-8 (near byte 17)',
      'save it as UTF-8',
    );
    expect(err.location.file).toBe(p);
  });

  it('reports UTF-16 as such', async () => {
    const src = await openSource(tmp.file('u16.csv', utf16le('a,b\n1,2\n')));
    await expectPontisError(readAllText(src), 'u16.csv', 'UTF-16', 'save it as UTF-8');
  });

  it('gives the latin1 view of a binary head', async () => {
    const src = await openSource(fixture('CoreHouseholdIndicators_Jun2019.xlsx'));
    expect((await readHead(src, 64)).startsWith('PK\u0003\u0004')).toBe(true);
  });

  it('reports a directory', async () => {
    const err = await expectPontisError(openSource(tmp.dir), 'is a directory');
    expect(err).toBeInstanceOf(PontisError);
  });
});

describe('firstInvalidUtf8', () => {
  it('finds the first bad byte, skipping continuation bytes of a previous chunk', () => {
    expect(firstInvalidUtf8(Buffer.from('abc'))).toBe(3);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xff, 0x62]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0xa9, 0x61, 0xc3, 0x28]))).toBe(2);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1); // UTF-16 surrogate
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xe2, 0x82]))).toBe(3); // cut at the end
  });
});
