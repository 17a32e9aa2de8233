import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { factsMarkdown } from '../protocol/addressFacts';
import { Interpreter } from '../scenario/interpreter';
import { describeAddress } from './describe';

// The facts of an address after fork: the same page seen from both processes, copy-on-write.

const FORK = path.resolve(__dirname, '../../../examples/02-fork-copy-on-write.mmu');

function stoppedAfter(line: string): Interpreter {
  const text = fs.readFileSync(FORK, 'utf8');
  const started = Interpreter.start(text, FORK);
  assert.ok(started.interpreter);
  const interpreter = started.interpreter;
  const wanted = text.split('\n').indexOf(line);
  while (!interpreter.finished) {
    const report = interpreter.step();
    if (report.range.start.line === wanted) break;
  }
  return interpreter;
}

describe('describing an address', () => {
  const interpreter = stoppedAfter('fork parent as child');
  const buf = interpreter.evaluate('buf', 0);
  assert.ok('value' in buf && buf.value.kind === 'integer');
  const address = Number(buf.value.value);

  it('says one fact a line, in the order of the walk, for each address space that maps it', () => {
    const { text, spaces } = describeAddress(interpreter.machine, address);
    assert.strictEqual(spaces, 2);
    const blocks = text.split('\n\n');
    assert.strictEqual(blocks.length, 2);
    for (const block of blocks) {
      const lines = block.split('\n');
      assert.deepStrictEqual(
        lines.map((line) => line.split(/\s+/)[0]),
        ['address', 'region', 'VMObject', 'PTE', 'frame', 'ref_count', 'zone'],
        block,
      );
      assert.match(lines[1]!, /^region {5}"data" 0x[0-9a-f]+\.\.0x[0-9a-f]+ rw- \[mmap\] Normal$/);
      assert.match(lines[2]!, /^VMObject {3}AnonymousVMObject #\d+, slot 0, copy-on-write$/);
      assert.match(lines[5]!, /^ref_count {2}2$/);
    }
    // The parent wrote the page before the fork, so its entry is accessed and dirty; the child's
    // entry was written by fork and has not been used yet.
    assert.match(blocks[0]!.split('\n')[3]!, /^PTE {8}0x[0-9a-f]+ \[P US A D NX\]$/);
    assert.match(blocks[1]!.split('\n')[3]!, /^PTE {8}0x[0-9a-f]+ \[P US NX\]$/);
    assert.match(blocks[0]!, /^address {4}0x[0-9a-f]+ in parent \(pid \d+\)/);
    assert.match(blocks[1]!, /^address {4}0x[0-9a-f]+ in child \(pid \d+\)/);
  });

  it('makes a table of each address space for the hover', () => {
    const markdown = factsMarkdown(describeAddress(interpreter.machine, address).text);
    const tables = markdown.split('\n\n');
    assert.strictEqual(tables.length, 2);
    assert.match(
      tables[0]!,
      /^\| address \| 0x[0-9a-f]+ in parent \(pid \d+\) \|\n\|:--\|:--\|\n\| region \|/,
    );
  });

  it('describes a physical address by its frame, ref count and zone', () => {
    const paddr = interpreter.machine.translate(interpreter.machine.processes()[0]!, address)!;
    const { text } = describeAddress(interpreter.machine, paddr, { kind: 'physical' });
    assert.deepStrictEqual(
      text.split('\n').map((line) => line.split(/\s+/)[0]),
      ['address', 'frame', 'ref_count', 'zone'],
    );
  });
});
