import * as assert from 'assert';
import { factsMarkdown, factsText } from './addressFacts';

describe('the facts of an address, as text and as Markdown', () => {
  const facts = [
    { label: 'address', value: '0x1000 in kernel' },
    { label: 'PTE', value: '0x3 [P RW]' },
    { label: 'ref_count', value: '1' },
  ] as const;

  it('puts one fact a line, the values lined up', () => {
    assert.strictEqual(
      factsText(facts),
      ['address    0x1000 in kernel', 'PTE        0x3 [P RW]', 'ref_count  1'].join('\n'),
    );
  });

  it('makes a table of each block of facts and keeps other lines as text', () => {
    const text = ['Region "a|b"', factsText(facts), '', factsText(facts.slice(0, 2))].join('\n');
    assert.strictEqual(
      factsMarkdown(text),
      [
        '```text\nRegion "a|b"\n```',
        '| address | 0x1000 in kernel |\n|:--|:--|\n| PTE | 0x3 \\[P RW\\] |\n| ref_count | 1 |',
        '| address | 0x1000 in kernel |\n|:--|:--|\n| PTE | 0x3 \\[P RW\\] |',
      ].join('\n\n'),
    );
  });

  it('escapes what Markdown would read in a value, pipes above all', () => {
    assert.strictEqual(
      factsMarkdown('address    a|b *c* `d`'),
      '| address | a\\|b \\*c\\* \\`d\\` |\n|:--|:--|',
    );
  });

  it('leaves text without facts as one block', () => {
    assert.strictEqual(factsMarkdown('phys 0x200000'), '```text\nphys 0x200000\n```');
  });
});
