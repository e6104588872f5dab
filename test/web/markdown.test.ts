/** The methodology renderer: the Markdown subset it needs, and nothing unsafe gets through. */
import { describe, expect, it } from 'vitest';
import { markdown, slug } from '../../src/web/markdown.ts';

describe('markdown', () => {
  it('headings with ids (levels shifted), paragraphs, lists, tables, code', () => {
    const { html, headings } = markdown(
      [
        '# Title',
        '',
        '### 3.11 The resolution figures',
        'A paragraph with `code`, **bold** and *emphasis*',
        'continued on a second line.',
        '',
        '- one',
        '- two',
        '  continued',
        '',
        '1. first',
        '2. second',
        '',
        '| a | b |',
        '|---|---|',
        '| 1 | 2 |',
        '',
        '```',
        'x < y',
        '```',
        '',
        '    indented = code',
      ].join('\n'),
    );
    expect(headings.map((h) => [h.level, h.id])).toEqual([
      [2, 'title'],
      [4, '3-11-the-resolution-figures'],
    ]);
    expect(html).toContain('<h4 id="3-11-the-resolution-figures">3.11 The resolution figures</h4>');
    expect(html).toContain(
      '<p>A paragraph with <code>code</code>, <strong>bold</strong> and <em>emphasis</em> continued on a second line.</p>',
    );
    expect(html).toContain('<ul><li>one</li><li>two continued</li></ul>');
    expect(html).toContain('<ol><li>first</li><li>second</li></ol>');
    expect(html).toContain(
      '<thead><tr><th scope="col">a</th><th scope="col">b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody>',
    );
    expect(html).toContain('<pre><code>x &lt; y</code></pre>');
    expect(html).toContain('<pre><code>indented = code</code></pre>');
  });

  it('escapes raw HTML and drops unsafe links', () => {
    const { html } = markdown(
      [
        '<script>alert(1)</script>',
        '[click](javascript:alert(1)) [ok](https://example.org/x) [rel](#s) `<b>`',
        '| <img src=x onerror=alert(1)> |',
        '|---|',
      ].join('\n'),
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('javascript:');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<a href="https://example.org/x">ok</a>');
    expect(html).toContain('<a href="#s">rel</a>');
    expect(html).toContain('<code>&lt;b&gt;</code>');
  });

  it('slugs keep letters and digits of any script', () => {
    expect(slug('3.2 Group aggregates')).toBe('3-2-group-aggregates');
    expect(slug('Статистика `x`')).toBe('статистика-x');
  });
});
