// Debugger figures: the latency of `next` and of `stepBack`, from the request to the `stopped`
// event with the stack, the scopes and the first scope's variables fetched (what VS Code asks for
// at every stop). Measured on a scenario with 100,000 resident pages and on one with 10, so that
// the figures show whether the cost follows what a step changed or the size of the state.
//
// The session runs in this process and is driven over in-memory streams with the real protocol
// framing; only process start-up and pipe latency are left out.
import { PassThrough } from 'stream';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { MmuDebugSession } from '../src/debug/MmuDebugSession';
import { StreamClient } from './dapClient';
import { residentPagesScenario } from './residentPagesScenario';
import type { BenchOptions, FigureSet } from './providers';

/** What a client fetches at each stop: the stack, the scopes, the first scope's variables. */
export async function fetchStopState(client: StreamClient): Promise<void> {
  const trace = await client.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: 1 });
  const frame = trace.body.stackFrames[0];
  if (frame === undefined) throw new Error('no frame');
  const scopes = await client.request<DebugProtocol.ScopesResponse>('scopes', { frameId: frame.id });
  await client.request('variables', { variablesReference: scopes.body.scopes[0]!.variablesReference });
}

/** Milliseconds from a request to its stop with the stop's state fetched, as a client does. */
export async function timedStop(
  client: StreamClient,
  command: string,
  args: object = { threadId: 1 },
): Promise<number> {
  const started = performance.now();
  const stopped = client.event('stopped');
  await client.request(command, args);
  await stopped;
  await fetchStopState(client);
  return performance.now() - started;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface BenchSession {
  readonly client: StreamClient;
  close(): Promise<void>;
}

/** A session on the scenario with `pages` resident pages, stopped inside its loop. */
async function openSession(pages: number, ram: string): Promise<BenchSession> {
  const text = residentPagesScenario(pages, ram, 400);
  const session = new MmuDebugSession({ readFile: () => Promise.resolve(text) });
  // In-process, the session must not end the process when its streams close (as a standalone
  // adapter does): server mode makes its shutdown a no-op.
  session.setRunAsServer(true);
  const input = new PassThrough();
  const output = new PassThrough();
  session.start(input, output);
  const client = new StreamClient((text) => input.write(text), output);
  const close = async (): Promise<void> => {
    await client.request('disconnect').catch(() => undefined);
    input.end();
  };
  try {
    await client.request('initialize', {
      adapterID: 'mmu',
      pathFormat: 'path',
      linesStartAt1: true,
      columnsStartAt1: true,
    });
    const initialized = client.event('initialized');
    const firstStop = client.event('stopped');
    const launched = client.request('launch', { program: `/bench/${pages}.mmu` });
    await initialized;
    await client.request('setBreakpoints', {
      source: { path: `/bench/${pages}.mmu` },
      breakpoints: [{ line: 6, condition: 'i == 100' }],
    });
    await client.request('configurationDone');
    await launched;
    await firstStop;
    await fetchStopState(client);
    await client.request('setBreakpoints', { source: { path: `/bench/${pages}.mmu` }, breakpoints: [] });
    for (let i = 0; i < 20; i++) await timedStop(client, 'next');
    return { client, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * The two sessions take turns, request by request, so that whatever else the machine does at the
 * time weighs on both figures alike.
 */
async function measureBoth(
  large: BenchSession,
  small: BenchSession,
  rounds: number,
): Promise<{ large: { next: number; back: number }; small: { next: number; back: number } }> {
  const times = {
    largeNext: [] as number[],
    smallNext: [] as number[],
    largeBack: [] as number[],
    smallBack: [] as number[],
  };
  for (let i = 0; i < rounds; i++) {
    times.largeNext.push(await timedStop(large.client, 'next'));
    times.smallNext.push(await timedStop(small.client, 'next'));
  }
  for (let i = 0; i < rounds; i++) {
    times.largeBack.push(await timedStop(large.client, 'stepBack'));
    times.smallBack.push(await timedStop(small.client, 'stepBack'));
  }
  return {
    large: { next: median(times.largeNext), back: median(times.largeBack) },
    small: { next: median(times.smallNext), back: median(times.smallBack) },
  };
}

export async function debugBenchmarks(options?: BenchOptions): Promise<FigureSet> {
  const rounds = options?.quick === true ? 10 : 100;
  const largePages = options?.quick === true ? 10_000 : 100_000;
  options?.log(`debug: next/stepBack latency with ${largePages} and with 10 resident pages, taking turns`);
  const large = await openSession(largePages, '1G');
  try {
    const small = await openSession(10, '64M');
    try {
      const figures = await measureBoth(large, small, rounds);
      return {
        next_latency_100k_ms: figures.large.next,
        next_latency_10_ms: figures.small.next,
        step_back_latency_100k_ms: figures.large.back,
        step_back_latency_10_ms: figures.small.back,
      };
    } finally {
      await small.close();
    }
  } finally {
    await large.close();
  }
}
