import * as assert from 'assert';
import { KERNEL_SPACE, processSpace } from '../protocol/addressSpaces';
import { type Thing, type ThingRef, describeThing, parseThingRef, thingRefOf } from './watchedThings';

function parsed(raw: unknown): Thing {
  const result = parseThingRef(raw);
  if ('error' in result) assert.fail(`refused ${JSON.stringify(raw)}: ${result.error}`);
  return result.thing;
}

function refusal(raw: unknown): string {
  const result = parseThingRef(raw);
  if ('thing' in result) assert.fail(`accepted ${JSON.stringify(raw)}`);
  return result.error;
}

describe('watched things', () => {
  it('decodes every kind of thing and spells it back the same way', () => {
    const refs: ThingRef[] = [
      { kind: 'pte', space: 'pid:1', vaddr: '0x10000' },
      { kind: 'page', space: 'kernel', vaddr: '0x2000000000' },
      { kind: 'region', space: 'pid:12', regionId: '7' },
      { kind: 'frame', paddr: '0x0' },
      { kind: 'zone', zoneId: '0:3' },
      { kind: 'counter', name: 'uncommitted' },
    ];
    for (const ref of refs) assert.deepStrictEqual(thingRefOf(parsed(ref)), ref);
    assert.deepStrictEqual(parsed(refs[0]), { kind: 'pte', space: processSpace(1), vaddr: 0x10000 });
    assert.deepStrictEqual(parsed(refs[1]), { kind: 'page', space: KERNEL_SPACE, vaddr: 0x2000000000 });
    assert.deepStrictEqual(parsed(refs[4]), { kind: 'zone', physicalRegion: 0, zone: 3 });
  });

  it('says what a thing is in words', () => {
    const words = (raw: unknown): string => describeThing(parsed(raw));
    assert.strictEqual(
      words({ kind: 'pte', space: 'pid:1', vaddr: '0x10000' }),
      'the PTE of 0x10000 in pid 1',
    );
    assert.strictEqual(
      words({ kind: 'page', space: 'kernel', vaddr: '0x1000' }),
      'page 0x1000 in the kernel',
    );
    assert.strictEqual(words({ kind: 'region', space: 'pid:2', regionId: '40' }), 'region 40 in pid 2');
    assert.strictEqual(words({ kind: 'frame', paddr: '0x2f000' }), 'frame 0x2f000');
    assert.strictEqual(words({ kind: 'zone', zoneId: '1:0' }), 'zone 1:0');
    assert.strictEqual(words({ kind: 'counter', name: 'used' }), 'the counter of used pages');
  });

  it('refuses anything that is not exactly a thing, naming what is wrong', () => {
    assert.match(refusal(undefined), /'thing' must be an object/);
    assert.match(refusal(null), /'thing' must be an object/);
    assert.match(refusal([{ kind: 'pte' }]), /'thing' must be an object/);
    assert.match(refusal('pte'), /'thing' must be an object/);
    assert.match(
      refusal({ kind: 'PTE', space: 'pid:1', vaddr: '0x1000' }),
      /'thing.kind' must be one of pte, page/,
    );
    assert.match(refusal({}), /'thing.kind'/);
    assert.match(
      refusal({ kind: 'pte', space: 'pid:1', vaddr: '0x1000', regionId: '3' }),
      /a pte has no field 'regionId'/,
    );
    for (const space of ['pid:01', 'pid:-1', 'pid:1.5', 'Kernel', 'pid:', '1', 'v:1', ' kernel'])
      assert.match(
        refusal({ kind: 'pte', space, vaddr: '0x1000' }),
        /'thing.space' must be "kernel" or "pid:<n>"/,
        space,
      );
    assert.match(refusal({ kind: 'pte', space: 1, vaddr: '0x1000' }), /'thing.space' must be a string/);
    for (const vaddr of ['0X1000', '0x1000 ', '4096', '0x', '0xABC000', '0x10000000000000000'])
      assert.match(
        refusal({ kind: 'page', space: 'pid:1', vaddr }),
        /'thing.vaddr': expected a hex string/,
        vaddr,
      );
    assert.match(refusal({ kind: 'pte', space: 'pid:1', vaddr: 4096 }), /'thing.vaddr' must be a string/);
    assert.match(refusal({ kind: 'pte', space: 'pid:1', vaddr: '0x1001' }), /must be the start of a page/);
    assert.match(
      refusal({ kind: 'pte', space: 'pid:1', vaddr: '0xffff800000000000' }),
      /beyond the addresses the machine simulates/,
    );
    assert.match(refusal({ kind: 'frame', paddr: '0x800' }), /'thing.paddr' must be the start of a page/);
    for (const regionId of ['07', '-1', '1e3', '', ' 3'])
      assert.match(
        refusal({ kind: 'region', space: 'pid:1', regionId }),
        /'thing.regionId' must be a decimal/,
        regionId,
      );
    assert.match(
      refusal({ kind: 'region', space: 'pid:1', regionId: 7 }),
      /'thing.regionId' must be a string/,
    );
    for (const zoneId of ['0', '0:01', 'a:b', '0:1:2', '0-1'])
      assert.match(refusal({ kind: 'zone', zoneId }), /'thing.zoneId'/, zoneId);
    for (const name of ['Used', 'free pages', ''])
      assert.match(
        refusal({ kind: 'counter', name }),
        /'thing.name' must be one of used, committed, uncommitted, free/,
      );
  });
});
