import * as assert from 'assert';
import { DebugRequester, SessionAddressEvaluator } from './sessionEvaluator';

/** A session that answers DAP requests from functions and records them. */
class FakeSession implements DebugRequester {
  readonly requests: [string, unknown][] = [];
  constructor(private readonly answers: Record<string, (args: unknown) => unknown>) {}
  customRequest(command: string, args?: unknown): Promise<unknown> {
    this.requests.push([command, args]);
    const answer = this.answers[command];
    if (answer === undefined) return Promise.reject(new Error(`unsupported request ${command}`));
    try {
      return Promise.resolve(answer(args));
    } catch (e) {
      return Promise.reject(e);
    }
  }
}

describe('evaluating through a debug session', () => {
  it('evaluates in the hover context of the top frame and reports its line', async () => {
    const session = new FakeSession({
      threads: () => ({ threads: [{ id: 1, name: 'scenario' }] }),
      stackTrace: () => ({ stackFrames: [{ id: 42, line: 9, name: 'step' }] }),
      evaluate: (args) => ({ result: `resolved ${JSON.stringify(args)}`, variablesReference: 0 }),
    });
    const answer = await new SessionAddressEvaluator(session).evaluate('buf');
    assert.strictEqual(answer.stoppedLine, 9);
    assert.strictEqual(answer.result, 'resolved {"expression":"buf","context":"hover","frameId":42}');
    assert.deepStrictEqual(session.requests[1], ['stackTrace', { threadId: 1, startFrame: 0, levels: 1 }]);
  });

  it('passes on the memory reference the session gave, for the hover’s Show in Memory link', async () => {
    const session = new FakeSession({
      threads: () => ({ threads: [{ id: 1 }] }),
      stackTrace: () => ({ stackFrames: [{ id: 1, line: 3 }] }),
      evaluate: () => ({ result: 'pid 1 0x10000', memoryReference: 'v:1:0x10000' }),
    });
    const answer = await new SessionAddressEvaluator(session).evaluate('buf');
    assert.deepStrictEqual(answer, {
      result: 'pid 1 0x10000',
      stoppedLine: 3,
      memoryReference: 'v:1:0x10000',
    });
  });

  it('evaluates without a frame when the session has no stack', async () => {
    const session = new FakeSession({
      threads: () => ({ threads: [{ id: 1 }] }),
      stackTrace: () => {
        throw new Error('not stopped');
      },
      evaluate: (args) => ({ result: JSON.stringify(args) }),
    });
    const answer = await new SessionAddressEvaluator(session).evaluate('0x1000');
    assert.deepStrictEqual(answer, { result: '{"expression":"0x1000","context":"hover"}' });
  });

  it('rejects when the session refuses or answers nonsense', async () => {
    const refusing = new FakeSession({ threads: () => ({ threads: [] }), evaluate: () => { throw new Error('no such name'); } }); // prettier-ignore
    await assert.rejects(new SessionAddressEvaluator(refusing).evaluate('x'), /no such name/);
    const odd = new FakeSession({ threads: () => 'what', evaluate: () => ({ result: 7 }) });
    await assert.rejects(new SessionAddressEvaluator(odd).evaluate('x'), /no result/);
  });
});
