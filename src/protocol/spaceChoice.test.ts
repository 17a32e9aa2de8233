import * as assert from 'assert';
import type { AddressSpaceDto } from './dto';
import { walkableSpaceId } from './spaceChoice';

/** Only what the choice reads: the id, the kind and whether the space is alive. */
function space(id: string, alive = true): AddressSpaceDto {
  return { id, kind: id === 'kernel' ? 'kernel' : 'process', alive } as AddressSpaceDto;
}

describe('the address space a page-table view shows', () => {
  it('keeps the remembered space while it lives', () => {
    assert.strictEqual(walkableSpaceId([space('kernel'), space('pid:1'), space('pid:2')], 'pid:2'), 'pid:2');
    assert.strictEqual(walkableSpaceId([space('kernel'), space('pid:1')], 'kernel'), 'kernel');
  });

  it("gives up the previous session's process that has exited for the first live process", () => {
    const spaces = [space('kernel'), space('pid:1', false), space('pid:2'), space('pid:3')];
    assert.strictEqual(walkableSpaceId(spaces, 'pid:1'), 'pid:2');
  });

  it('gives up a space this session does not have', () => {
    assert.strictEqual(walkableSpaceId([space('kernel'), space('pid:4')], 'pid:9'), 'pid:4');
    assert.strictEqual(walkableSpaceId([space('kernel'), space('pid:4')], ''), 'pid:4');
  });

  it('falls back to the kernel when no process lives, and to nothing without spaces', () => {
    assert.strictEqual(walkableSpaceId([space('pid:1', false), space('kernel')], 'pid:1'), 'kernel');
    assert.strictEqual(walkableSpaceId([], 'pid:1'), '');
  });
});
