import * as assert from 'assert';
import { el, escapeHtml, fragment, plural, trusted } from './html';

describe('report markup', () => {
  it('escapes the five characters that could end text or an attribute', () => {
    assert.strictEqual(
      escapeHtml(`<a href="x" title='y'>&</a>`),
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('escapes text children and attribute values, and passes markup through', () => {
    const markup = el('p', { title: '"><script>', class: 'a' }, '<b>', el('i', {}, 'x'), 3, null, false, [
      '&',
      ['y'],
    ]);
    assert.strictEqual(
      markup.text,
      '<p title="&quot;&gt;&lt;script&gt;" class="a">&lt;b&gt;<i>x</i>3&amp;y</p>',
    );
    assert.strictEqual(fragment('<', trusted('<br>')).text, '&lt;<br>');
  });

  it('leaves out false and missing attributes, writes true ones bare, and closes no void element', () => {
    assert.strictEqual(
      el('meta', { charset: 'utf-8', hidden: false, x: undefined, y: null }).text,
      '<meta charset="utf-8">',
    );
    assert.strictEqual(el('div', { hidden: true }).text, '<div hidden></div>');
  });

  it('refuses element and attribute names it did not expect', () => {
    assert.throws(() => el('p onclick=x'), /not an element name/);
    assert.throws(() => el('p', { 'a b': 1 }), /not an attribute name/);
  });

  it('counts with the noun in the right number', () => {
    assert.strictEqual(plural(1, 'page'), '1 page');
    assert.strictEqual(plural(12345, 'page'), '12,345 pages');
    assert.strictEqual(plural(2, 'entry', 'entries'), '2 entries');
  });
});
