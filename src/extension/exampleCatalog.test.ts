import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ExampleEntry, findExample, scenarioIntro, sortExamples } from './exampleCatalog';

const entries: ExampleEntry[] = [
  { relativePath: 'fork/cow.mmu', origin: 'workspace' },
  { relativePath: 'cow.mmu', origin: 'bundled' },
  { relativePath: 'dma/buffers.mmu', origin: 'bundled' },
  { relativePath: 'a/same.mmu', origin: 'workspace' },
  { relativePath: 'b/same.mmu', origin: 'workspace' },
];

describe('the example catalog', () => {
  it('finds an example by its exact relative path first', () => {
    assert.deepStrictEqual(findExample(entries, 'cow.mmu'), entries[1]);
    assert.deepStrictEqual(findExample(entries, './fork/cow.mmu'), entries[0]);
  });

  it('finds an example by the end of its path', () => {
    assert.deepStrictEqual(findExample(entries, 'buffers.mmu'), entries[2]);
  });

  it('refuses a name that designates several examples', () => {
    assert.strictEqual(findExample(entries, 'same.mmu'), undefined);
  });

  it('finds nothing for an unknown name', () => {
    assert.strictEqual(findExample(entries, 'nothing.mmu'), undefined);
  });

  it('lists workspace examples before bundled ones, each by path', () => {
    assert.deepStrictEqual(
      sortExamples(entries).map((entry) => entry.relativePath),
      ['a/same.mmu', 'b/same.mmu', 'fork/cow.mmu', 'cow.mmu', 'dma/buffers.mmu'],
    );
  });

  it('introduces a scenario by its leading comment when it has no heading', () => {
    assert.deepStrictEqual(
      scenarioIntro('\n// Copy-on-write after fork:\n// the child writes first.\n\nmachine ram=64M\n'),
      { summary: 'Copy-on-write after fork: the child writes first.' },
    );
    assert.deepStrictEqual(scenarioIntro('# A hash comment\nprocess p\n'), { summary: 'A hash comment' });
    assert.deepStrictEqual(scenarioIntro('machine ram=64M\n// late comment\n'), {});
  });

  it('takes the underlined heading as the title and the first sentence after it as the summary', () => {
    const text = [
      '// fork() and copy-on-write',
      '// =========================',
      '//',
      '// fork gives the child a copy of every private region — but not of the pages. Both processes',
      '// map the same physical pages read-only.',
      '',
      'machine ram=64M',
    ].join('\n');
    assert.deepStrictEqual(scenarioIntro(text), {
      title: 'fork() and copy-on-write',
      summary: 'fork gives the child a copy of every private region — but not of the pages.',
    });
  });

  it('never shows an underline, and cuts a sentence too long for one line', () => {
    const long = `// Heading\n// -------\n// ${'word '.repeat(60)}end.\n`;
    const intro = scenarioIntro(long);
    assert.strictEqual(intro.title, 'Heading');
    assert.ok(intro.summary !== undefined && intro.summary.length <= 160 && intro.summary.endsWith('…'));
    assert.deepStrictEqual(scenarioIntro('// =====\n// The text.\n'), { summary: 'The text.' });
  });

  it('gives every shipped example a title and a one-sentence summary without underlines', () => {
    const examples = path.resolve(__dirname, '../../../examples');
    for (const file of fs.readdirSync(examples).filter((name) => name.endsWith('.mmu'))) {
      const intro = scenarioIntro(fs.readFileSync(path.join(examples, file), 'utf8'));
      assert.ok(intro.title !== undefined && !/={3,}/.test(intro.title), `${file}: title ${intro.title}`);
      assert.ok(
        intro.summary !== undefined && !/={3,}/.test(intro.summary) && /[.!?…]$/.test(intro.summary),
        `${file}: summary ${intro.summary}`,
      );
    }
  });
});
