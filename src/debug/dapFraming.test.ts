import * as assert from 'assert';
import fc from 'fast-check';
import { DapFrameReader, type Framed, MAX_FRAME_BYTES, messageProblem } from './dapFraming';

function frame(value: unknown): string {
  const json = JSON.stringify(value);
  return `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
}

/** Feeds `text` to a fresh reader cut at the given offsets; returns all it produced. */
function readInPieces(text: string, cuts: number[]): Framed[] {
  const bytes = Buffer.from(text, 'utf8');
  const reader = new DapFrameReader();
  const out: Framed[] = [];
  let from = 0;
  for (const cut of [...cuts.filter((c) => c > 0 && c < bytes.length)].sort((a, b) => a - b)) {
    out.push(...reader.push(bytes.subarray(from, cut)));
    from = cut;
  }
  out.push(...reader.push(bytes.subarray(from)));
  return out;
}

const messages = (framed: Framed[]): unknown[] =>
  framed.filter((f) => f.kind === 'message').map((f) => (f as { value: unknown }).value);
const drops = (framed: Framed[]): string[] =>
  framed.filter((f) => f.kind === 'dropped').map((f) => (f as { reason: string }).reason);

const request = fc.record({
  seq: fc.nat(),
  type: fc.constant('request'),
  command: fc.string(),
  arguments: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean())),
});

describe('reading DAP frames', () => {
  it('reads the same messages however the stream is cut', () => {
    fc.assert(
      fc.property(fc.array(request, { maxLength: 5 }), fc.array(fc.nat(2000)), (sent, cuts) => {
        const framed = readInPieces(sent.map(frame).join(''), cuts);
        assert.deepStrictEqual(drops(framed), []);
        assert.deepStrictEqual(messages(framed), JSON.parse(JSON.stringify(sent)));
      }),
    );
  });

  it('after any garbage, reads every whole frame that follows a header it can see', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 200 }).filter((junk) => !junk.includes('Content-Length')),
        fc.array(request, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(1000)),
        (junk, sent, cuts) => {
          // The junk ends a frame that claims more than it holds, or stands outside any frame.
          const framed = readInPieces(`Content-Length: 5000\r\n\r\n${junk}` + sent.map(frame).join(''), cuts);
          assert.deepStrictEqual(messages(framed), JSON.parse(JSON.stringify(sent)));
          assert.strictEqual(drops(framed).length, 1);
        },
      ),
    );
  });

  it('says why it dropped a frame', () => {
    assert.match(drops(readInPieces('Content-Length: 3\r\n\r\n{x}', []))[0]!, /not JSON/);
    assert.match(drops(readInPieces('Content-Length: -3\r\n\r\n', []))[0]!, /not a byte count/);
    assert.match(drops(readInPieces('Foo: 1\r\n\r\n', []))[0]!, /without Content-Length/);
    assert.match(
      drops(readInPieces(`Content-Length: ${MAX_FRAME_BYTES + 1}\r\n\r\n{`, []))[0]!,
      /more than the \d+ the adapter accepts/,
    );
    assert.match(drops(readInPieces('x'.repeat(5000), []))[0]!, /header longer than 4096 bytes/);
  });

  it('holds no more than a header’s worth of bytes while skipping a frame too large to read', () => {
    const reader = new DapFrameReader();
    reader.push(Buffer.from(`Content-Length: ${MAX_FRAME_BYTES * 4}\r\n\r\n`));
    for (let i = 0; i < 100; i++) {
      reader.push(Buffer.alloc(1 << 20, 0x41));
      assert.ok(reader.pendingBytes <= 4096, `${reader.pendingBytes} bytes held`);
    }
    const after = reader.push(Buffer.from(frame({ seq: 1, type: 'request', command: 'threads' })));
    assert.deepStrictEqual(messages(after), [{ seq: 1, type: 'request', command: 'threads' }]);
    assert.strictEqual(reader.pendingBytes, 0);
  });
});

describe('telling a DAP message', () => {
  it('accepts requests, responses and events', () => {
    assert.strictEqual(messageProblem({ seq: 1, type: 'request', command: 'threads' }), null);
    assert.strictEqual(messageProblem({ seq: 1, type: 'request', command: 'x', arguments: {} }), null);
    assert.strictEqual(messageProblem({ seq: 1, type: 'event', event: 'x' }), null);
  });

  it('names what is wrong with anything else', () => {
    assert.match(messageProblem(null)!, /received null/);
    assert.match(messageProblem([1])!, /an array/);
    assert.match(messageProblem({ type: 'request', command: 'x' })!, /numeric 'seq'/);
    assert.match(messageProblem({ seq: 1, type: 'x' })!, /'type'/);
    assert.match(messageProblem({ seq: 1, type: 'request', command: 3 })!, /'command'/);
    assert.match(messageProblem({ seq: 1, type: 'request', command: 'x', arguments: [] })!, /object/);
  });
});
