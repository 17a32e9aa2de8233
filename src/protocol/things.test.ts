import * as assert from 'assert';
import { type ThingRef, counterThing, thingContext, thingInWebviewContext } from './things';

describe('things in webview context menus', () => {
  it('gives back the ThingRef of an element from what VS Code hands the command', () => {
    const pte: ThingRef = { kind: 'pte', space: 'pid:1', vaddr: '0x10000' };
    const context = JSON.parse(thingContext(pte)) as Record<string, unknown>;
    assert.strictEqual(context['webviewSection'], 'thing');
    assert.strictEqual(context['preventDefaultContextMenuItems'], true, 'no Cut, Copy, Paste');
    // VS Code adds the webview's id to the element's context.
    assert.deepStrictEqual(thingInWebviewContext({ ...context, webview: 'mmuLens.panel.pageTables' }), pte);
  });

  it('tells an argument that is no webview context from a context whose thing is not JSON', () => {
    assert.strictEqual(thingInWebviewContext({ kind: 'pte', space: 'pid:1', vaddr: '0x10000' }), undefined);
    assert.strictEqual(thingInWebviewContext(undefined), undefined);
    assert.strictEqual(thingInWebviewContext({ mmuLensThing: '{not json' }), null);
  });

  it("names the panels' counters as the counters one can follow", () => {
    assert.deepStrictEqual(counterThing('freeInZones'), { kind: 'counter', name: 'free' });
    assert.deepStrictEqual(counterThing('committed'), { kind: 'counter', name: 'committed' });
    assert.strictEqual(counterThing('physicalPages'), null);
  });
});
