import * as assert from 'assert';
import { encodeBase64 } from './base64';
import { checkMemoryWindow, decodeMemoryWindow, maskBit, packMask } from './memoryWindow';
import { validateHostMessage, validateWebviewMessage } from './messages';

const request = (address: string, length: number, space = 'pid:1') => ({
  type: 'requestMemory',
  requestId: 1,
  space,
  address,
  length,
});

describe('memory windows in the protocol', () => {
  it('accepts requests of 1 to 4096 bytes in a space or physical memory', () => {
    for (const space of ['kernel', 'pid:12', 'physical'])
      assert.strictEqual(validateWebviewMessage(request('0x1000', 4096, space)).ok, true, space);
  });

  it('refuses too long or empty windows, windows past 2^64 and unknown spaces, saying why', () => {
    assert.deepStrictEqual(validateWebviewMessage(request('0x1000', 4097)), {
      ok: false,
      error: 'message: a memory window holds 1 to 4096 bytes, not 4097',
    });
    assert.strictEqual(validateWebviewMessage(request('0x1000', 0)).ok, false);
    const past = validateWebviewMessage(request('0xfffffffffffffff0', 32));
    assert.ok(!past.ok && /past the top of the 64-bit address space/.test(past.error));
    assert.strictEqual(checkMemoryWindow('0xfffffffffffffff0', 16), null, 'ending at 2^64 is fine');
    const space = validateWebviewMessage(request('0x1000', 16, 'pid:01'));
    assert.ok(!space.ok && /message\.space/.test(space.error));
  });

  it('packs one bit per byte, least significant first', () => {
    const mask = packMask([true, false, false, false, false, false, false, false, false, true]);
    assert.deepStrictEqual([...mask], [0b1, 0b10]);
    assert.strictEqual(maskBit(mask, 9), true);
    assert.strictEqual(maskBit(mask, 8), false);
  });

  it('checks that a window from the extension holds as many bytes and mask bits as it says', () => {
    const window = {
      space: 'kernel',
      address: '0x2000',
      length: 3,
      step: 2,
      comparedStep: 1,
      bytes: encodeBase64(Uint8Array.from([1, 2, 3])),
      readable: encodeBase64(packMask([true, true, false])),
      changed: encodeBase64(packMask([false, true, false])),
    };
    assert.strictEqual(validateHostMessage({ type: 'memory', requestId: 4, window }).ok, true);
    assert.deepStrictEqual([...decodeMemoryWindow(window).bytes], [1, 2, 3]);
    const short = validateHostMessage({
      type: 'memory',
      requestId: 4,
      window: { ...window, bytes: encodeBase64(Uint8Array.from([1, 2])) },
    });
    assert.ok(!short.ok && /3 bytes came with 2 bytes/.test(short.error));
  });
});
