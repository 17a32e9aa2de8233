import * as assert from 'assert';
import type { RegionDto } from '../../protocol/dto';
import { runScenario } from '../stateTestSupport';
import { stepInfoDto } from '../stepInfo';
import { MAX_WALKS_PER_SPACE, captureStep, reportStepInfo, walkedPage } from './capture';

const withPages = (pages: string): RegionDto => ({ pages }) as RegionDto;

describe('capturing a step for the report', () => {
  it('walks a region’s first resident page, else its first mapped one, else none', () => {
    assert.strictEqual(walkedPage(withPages('NZLRC')), 3);
    assert.strictEqual(walkedPage(withPages('NNCV')), 2);
    assert.strictEqual(walkedPage(withPages('NNLZ')), 2);
    assert.strictEqual(walkedPage(withPages('NNN')), null);
  });

  it('keeps the state and a walk per region with a present page, a few per space', () => {
    const regions = Array.from(
      { length: MAX_WALKS_PER_SPACE + 2 },
      (_, i) =>
        `let r${i} = mmap(p, 0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)\nwrite p r${i} + PAGE_SIZE, 1`,
    );
    const text = `machine ram=64M\nprocess p\n${regions.join('\n')}\n`;
    const run = runScenario(text);
    const captured = captureStep(run.machine, reportStepInfo(run.reports.at(-1)!, text, run.reports.length));
    assert.strictEqual(captured.state.step.index, run.reports.length);
    const walks = captured.walks.filter((walk) => walk.spaceId === 'pid:1');
    assert.strictEqual(walks.length, MAX_WALKS_PER_SPACE);
    assert.strictEqual(captured.walksLeftOut, 2);
    const space = captured.state.addressSpaces.find((s) => s.id === 'pid:1')!;
    for (const walk of walks) {
      const region = space.regions.find((r) => r.id === walk.regionId)!;
      // Each region's second page was written: that is the one walked, down to its frame.
      assert.strictEqual(BigInt(walk.vaddr), BigInt(region.base) + 4096n);
      assert.deepStrictEqual(
        walk.levels.map((level) => level.level),
        ['PML4', 'PDPT', 'PD', 'PT'],
      );
      assert.notStrictEqual(walk.paddr, null);
    }
  });

  it('lists a few events of each kind and counts the rest', () => {
    const text = `machine ram=64M\nprocess p\nlet a = mmap(p, 0, 256 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)\nrepeat i in 0..256 {\n  write p a + i * PAGE_SIZE, 1\n}\nfork p as q\n`;
    const run = runScenario(text);
    const fork = run.reports.at(-1)!;
    const info = reportStepInfo(fork, text, run.reports.length);
    const listed = info.events.filter((event) => event.kind === 'PteWritten');
    assert.strictEqual(listed.length, 6);
    // As many PTE writes in all as the panels' overview tells, which lists up to 200 of them.
    const total = (events: typeof info.events): number =>
      events.filter((event) => event.kind === 'PteWritten').length +
      events
        .filter((event) => event.kind === 'More')
        .reduce(
          (sum, event) =>
            sum +
            Number((/^([\d,]+) more PteWritten events?$/.exec(event.text)?.[1] ?? '0').replace(/,/g, '')),
          0,
        );
    const panels = stepInfoDto(fork, text, run.reports.length, null).events;
    assert.ok(total(panels) > 200, 'a fork of 256 resident pages writes hundreds of PTEs');
    assert.strictEqual(total(info.events), total(panels));
  });
});
