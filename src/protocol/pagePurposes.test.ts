import * as assert from 'assert';
import { PAGE_PURPOSES as ENGINE_PAGE_PURPOSES } from '../engine/events';
import { PAGE_PURPOSES, PagePurposeDto } from './dto';
import { pagePurposeRunText, pagePurposeText, samePagePurpose } from './pagePurposes';

describe('what an allocated page is for', () => {
  it('knows the purposes the engine gives, in its order (the protocol cannot import the engine)', () => {
    assert.deepStrictEqual([...PAGE_PURPOSES], [...ENGINE_PAGE_PURPOSES]);
  });

  it('words one page and a run alike, the qualifier only for the run', () => {
    const structures: PagePurposeDto = { kind: 'paging_structure', spaceId: 'pid:2' };
    assert.strictEqual(pagePurposeText(structures), 'paging-structure page for pid 2');
    assert.strictEqual(pagePurposeRunText(structures, 130), '130 paging-structure pages for pid 2 (eager)');
    assert.strictEqual(pagePurposeRunText(structures, 1), '1 paging-structure page for pid 2 (eager)');
    assert.strictEqual(pagePurposeText({ kind: 'scenario', spaceId: 'kernel' }), 'page held by the scenario');
  });

  it('is a schema the webview checks, and the same only for the same kind and space', () => {
    assert.strictEqual(PagePurposeDto.check({ kind: 'cow_copy', spaceId: 'pid:1' }, 'p'), null);
    assert.notStrictEqual(PagePurposeDto.check({ kind: 'copy', spaceId: 'pid:1' }, 'p'), null);
    const a: PagePurposeDto = { kind: 'zero_fill', spaceId: 'pid:1' };
    assert.ok(samePagePurpose(a, { ...a }));
    assert.ok(!samePagePurpose(a, { ...a, spaceId: 'pid:2' }));
    assert.ok(!samePagePurpose(a, { ...a, kind: 'cow_copy' }));
    assert.ok(!samePagePurpose(null, null));
  });
});
