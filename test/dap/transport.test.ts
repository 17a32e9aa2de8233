// Hostile bytes and messages sent straight to the built standalone adapter: it answers every request
// it can parse, says what it could not read (stderr and an output event), keeps running and picks up
// again at the next header.
import * as assert from 'assert';
import { type ChildProcessWithoutNullStreams, spawn } from 'child_process';
import { DapFrameReader } from '../../src/debug/dapFraming';
import { ADAPTER, ensureAdapterBuilt } from './support';

type Message = Record<string, unknown>;

/** A raw connection to a fresh adapter process: bytes in, parsed messages out. */
class RawAdapter {
  readonly process: ChildProcessWithoutNullStreams;
  readonly received: Message[] = [];
  stderr = '';
  private waiters: (() => void)[] = [];
  exitCode: number | null = null;

  constructor() {
    this.process = spawn(process.execPath, [ADAPTER]);
    const reader = new DapFrameReader();
    this.process.stdout.on('data', (bytes: Buffer) => {
      for (const framed of reader.push(bytes))
        if (framed.kind === 'message') this.received.push(framed.value as Message);
      this.wake();
    });
    this.process.stderr.on('data', (bytes: Buffer) => {
      this.stderr += bytes.toString('utf8');
    });
    this.process.on('exit', (code) => {
      this.exitCode = code;
      this.wake();
    });
  }

  write(bytes: string | Buffer): void {
    this.process.stdin.write(bytes);
  }

  send(message: Message): void {
    const json = JSON.stringify(message);
    this.write(`Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`);
  }

  /** Waits (up to 10 s) for a message that matches. */
  async waitFor(matches: (m: Message) => boolean, what: string): Promise<Message> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const found = this.received.find(matches);
      if (found !== undefined) return found;
      if (this.exitCode !== null) throw new Error(`the adapter exited (${this.exitCode}) before ${what}`);
      if (Date.now() > deadline) throw new Error(`no ${what}; received ${JSON.stringify(this.received)}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  response(seq: number): Promise<Message> {
    return this.waitFor((m) => m['type'] === 'response' && m['request_seq'] === seq, `a response to ${seq}`);
  }

  /** The adapter still answers: a threads request gets a successful response. */
  async stillAnswers(seq: number): Promise<void> {
    this.send({ seq, type: 'request', command: 'threads' });
    const response = await this.response(seq);
    assert.strictEqual(response['success'], true, JSON.stringify(response));
  }

  output(pattern: RegExp): Promise<Message> {
    return this.waitFor(
      (m) =>
        m['type'] === 'event' &&
        m['event'] === 'output' &&
        pattern.test(String((m['body'] as Message | undefined)?.['output'])),
      `an output event matching ${pattern}`,
    );
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  kill(): void {
    this.process.kill();
  }
}

describe('the adapter’s transport under hostile input', function () {
  let adapter: RawAdapter;
  before(() => ensureAdapterBuilt());
  beforeEach(async () => {
    adapter = new RawAdapter();
    adapter.send({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'mmu' } });
    await adapter.response(1);
  });
  afterEach(() => adapter.kill());

  it('reports a body that is not JSON, and answers the next request', async () => {
    adapter.write('Content-Length: 9\r\n\r\n{"seq": ,');
    await adapter.output(/not JSON/);
    await adapter.stillAnswers(2);
    assert.match(adapter.stderr, /not JSON/);
  });

  for (const [what, body] of [
    ['null', 'null'],
    ['a number', '42'],
    ['an array', '[1,2]'],
    ['a message without seq', '{"type":"request","command":"threads"}'],
  ] as const) {
    it(`reports ${what} as not a DAP message and keeps running`, async () => {
      adapter.write(`Content-Length: ${body.length}\r\n\r\n${body}`);
      await adapter.output(/not a DAP message|without a numeric 'seq'/);
      await adapter.stillAnswers(2);
    });
  }

  it('resynchronises after a frame cut short', async () => {
    // The first frame says 200 bytes but holds 20: the next header shows where it really ended.
    adapter.write('Content-Length: 200\r\n\r\n{"seq":2,"type":"req');
    await adapter.stillAnswers(3);
    await adapter.output(/cut short/);
    assert.strictEqual(adapter.exitCode, null);
  });

  it('resynchronises after a frame shorter than it says', async () => {
    const json = JSON.stringify({ seq: 2, type: 'request', command: 'threads' });
    adapter.write(`Content-Length: 10\r\n\r\n${json}`);
    await adapter.stillAnswers(3);
    await adapter.output(/not JSON/);
    await adapter.output(/outside any frame/);
  });

  it('reports a header without a usable Content-Length and hears the next one', async () => {
    adapter.write('Content-Length: abc\r\n\r\n');
    await adapter.output(/not a byte count/);
    adapter.write('X-Other: 1\r\n\r\n');
    await adapter.output(/without Content-Length/);
    await adapter.stillAnswers(2);
  });

  it('skips a frame larger than it accepts, up to the next header', async () => {
    adapter.write('Content-Length: 999999999999\r\n\r\n{"seq":2');
    await adapter.output(/more than the \d+ the adapter accepts/);
    await adapter.stillAnswers(3);
  });

  for (const command of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
    it(`answers a request named '${command}' as unsupported`, async () => {
      adapter.send({ seq: 2, type: 'request', command });
      const response = await adapter.response(2);
      assert.strictEqual(response['success'], false);
      assert.match(String(response['message']), /unsupported request/);
    });
  }

  it('answers a request whose arguments are not an object with an error', async () => {
    adapter.send({ seq: 2, type: 'request', command: 'threads', arguments: 'all' });
    const response = await adapter.response(2);
    assert.strictEqual(response['success'], false);
    assert.match(String(response['message']), /'arguments' of 'threads' must be an object/);
  });
});
