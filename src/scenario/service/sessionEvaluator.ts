// The debug-session side of hover on addresses, over the one call a VS Code DebugSession offers
// for it (`customRequest`): find the top frame of the first thread, then evaluate the expression
// in the `hover` context there. Answers are read defensively: the session is another program.

import type { AddressAnswer, AddressEvaluator } from './addressHover';

/** What the evaluator needs of a debug session (VS Code's DebugSession has it). */
export interface DebugRequester {
  customRequest(command: string, args?: unknown): PromiseLike<unknown>;
}

interface Frame {
  readonly id: number;
  readonly line?: number;
}

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;

export class SessionAddressEvaluator implements AddressEvaluator {
  constructor(private readonly session: DebugRequester) {}

  async evaluate(expression: string): Promise<AddressAnswer> {
    const frame = await this.topFrame();
    const response = await this.session.customRequest('evaluate', {
      expression,
      context: 'hover',
      ...(frame === undefined ? {} : { frameId: frame.id }),
    });
    const result = field(response, 'result');
    if (typeof result !== 'string') throw new Error('the debug session gave no result');
    const reference = field(response, 'memoryReference');
    return {
      result,
      ...(frame?.line === undefined ? {} : { stoppedLine: frame.line }),
      ...(typeof reference === 'string' ? { memoryReference: reference } : {}),
    };
  }

  /** The top frame of the first thread, or undefined while the session is not stopped. */
  private async topFrame(): Promise<Frame | undefined> {
    const threads = field(await this.session.customRequest('threads'), 'threads');
    const threadId = Array.isArray(threads) ? field(threads[0], 'id') : undefined;
    if (typeof threadId !== 'number') return undefined;
    let frames: unknown;
    try {
      frames = field(
        await this.session.customRequest('stackTrace', { threadId, startFrame: 0, levels: 1 }),
        'stackFrames',
      );
    } catch {
      // A running thread has no stack to show; evaluate without a frame.
      return undefined;
    }
    const top: unknown = Array.isArray(frames) ? frames[0] : undefined;
    const id = field(top, 'id');
    const line = field(top, 'line');
    if (typeof id !== 'number') return undefined;
    return typeof line === 'number' ? { id, line } : { id };
  }
}
