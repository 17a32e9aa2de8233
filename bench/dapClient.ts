// A minimal Debug Adapter Protocol client for the benchmarks: it frames requests the way the
// protocol does, matches responses to requests and hands events to whoever waits for them. It
// talks to an adapter in this process (over in-memory streams) or in a child process (its stdio).
import type { Readable } from 'stream';
import type { DebugProtocol } from '@vscode/debugprotocol';

export class StreamClient {
  private seq = 1;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, (response: DebugProtocol.Response) => void>();
  private readonly waiters = new Map<string, ((event: DebugProtocol.Event) => void)[]>();

  constructor(
    private readonly write: (text: string) => void,
    output: Readable,
  ) {
    output.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const header = this.buffer.indexOf('\r\n\r\n');
      if (header < 0) return;
      const length = Number(/Content-Length: (\d+)/.exec(this.buffer.subarray(0, header).toString())?.[1]);
      if (this.buffer.length < header + 4 + length) return;
      const message = JSON.parse(
        this.buffer.subarray(header + 4, header + 4 + length).toString(),
      ) as DebugProtocol.ProtocolMessage;
      this.buffer = this.buffer.subarray(header + 4 + length);
      if (message.type === 'response') {
        const response = message as DebugProtocol.Response;
        this.pending.get(response.request_seq)?.(response);
        this.pending.delete(response.request_seq);
      } else if (message.type === 'event') {
        const event = message as DebugProtocol.Event;
        const list = this.waiters.get(event.event) ?? [];
        this.waiters.delete(event.event);
        for (const waiter of list) waiter(event);
      }
    }
  }

  request<T extends DebugProtocol.Response>(command: string, args: unknown = {}): Promise<T> {
    const seq = this.seq++;
    const text = JSON.stringify({ seq, type: 'request', command, arguments: args });
    return new Promise<T>((resolve, reject) => {
      this.pending.set(seq, (response) =>
        response.success ? resolve(response as T) : reject(new Error(response.message)),
      );
      this.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    });
  }

  /** The next event of that name. */
  event(name: string): Promise<DebugProtocol.Event> {
    return new Promise((resolve) => {
      const list = this.waiters.get(name) ?? [];
      list.push(resolve);
      this.waiters.set(name, list);
    });
  }
}
