import * as assert from 'assert';
import { ExampleEntry, findExample, scenarioSummary, sortExamples } from './exampleCatalog';

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

  it('summarises a scenario by its leading comment', () => {
    assert.strictEqual(
      scenarioSummary('\n// Copy-on-write after fork:\n// the child writes first.\n\nmachine ram=64M\n'),
      'Copy-on-write after fork: the child writes first.',
    );
    assert.strictEqual(scenarioSummary('# A hash comment\nprocess p\n'), 'A hash comment');
    assert.strictEqual(scenarioSummary('machine ram=64M\n// late comment\n'), undefined);
  });
});
