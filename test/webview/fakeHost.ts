// The extension's side of the conversation, played inside the test page: acquireVsCodeApi records what
// the webview posts, and requests are answered from a fixture. The function is serialised into the
// page by Playwright, so it must not use anything from outside its own body.

export interface FakePteSpace {
  spaceId: string;
  regionId: string;
  /** First mapped page; the i-th present PTE maps base + i pages. */
  base: string;
  count: number;
}

export interface FakeHostConfig {
  /** Sent in answer to "ready" (a snapshot or a noSession message). */
  onReady: unknown;
  /** Present PTEs to synthesise: deterministic rows, so a million cost nothing to store. */
  ptes: FakePteSpace[];
  /** The value getState() returns first (a restored webview). */
  savedState: unknown;
  /** Sent after the answer to "ready", and again with the new compare step on compareWithStep. */
  shared?: { compareStep: number | null; bookmarks: { name: string; step: number; line: number | null }[] };
  /** A run of this many steps for the Timeline, its marks following FAKE_MARK_RULES. */
  timelineSteps?: number;
  /** FAKE_MARK_RULES, passed in: the installed function sees nothing outside its body. */
  timelineRules?: readonly (readonly [number, number])[];
  /**
   * Memory for the Memory panel: byte a holds a & 0xff, except in the unreadable ranges [from, to);
   * bytes in the changed ranges are marked changed since step `step - 1`.
   */
  memory?: { step: number; unreadable: [string, string][]; changed: [string, string][] };
}

/**
 * The fake run's marks: step s has the kind of index i when s % every === at (the order of
 * TIMELINE_MARK_KINDS). Breakpoints fall every 50 steps; bookmarks come from `shared`.
 */
export const FAKE_MARK_RULES: readonly (readonly [every: number, at: number])[] = [
  [5, 1],
  [17, 3],
  [29, 7],
  [97, 50],
  [499, 250],
  [1999, 1000],
  [3001, 1500],
  [100_003, 100_000],
  [3, 0],
  [4, 2],
  [61, 30],
  [41, 1],
  [43, 42],
  [50, 0],
];

export function installFakeHost(config: FakeHostConfig): void {
  type Message = Record<string, unknown> & { type: string };
  // The root tsconfig has no DOM library: the page's window is reached through globalThis.
  const w = globalThis as unknown as Record<string, unknown> & {
    postMessage(message: unknown, origin: string): void;
  };
  const posted: Message[] = [];
  let saved = config.savedState;
  w['__posted'] = posted;
  w['__savedState'] = () => saved;
  const reply = (message: unknown): void => {
    setTimeout(() => w.postMessage(message, '*'), 0);
  };
  const shared = { ...(config.shared ?? { compareStep: null, bookmarks: [] }) };
  const rules = config.timelineRules ?? [];
  const KINDS = 15;
  const maskOf = (slot: number): number => {
    if (slot === 0) return 0;
    let mask = 0;
    rules.forEach(([every, at], i) => {
      if (slot % every === at) mask |= 1 << i;
    });
    if (shared.bookmarks.some((bookmark) => bookmark.step === slot)) mask |= 1 << (KINDS - 1);
    return mask;
  };
  // Cut as the protocol's bucketStart cuts, counting each bucket's kinds as the extension does.
  const timeline = (m: Message): unknown => {
    const stepCount = config.timelineSteps ?? 0;
    const from = m['from'] as number;
    const to = Math.min(m['to'] as number, stepCount + 1);
    const buckets = Math.min(m['buckets'] as number, to - from);
    const kinds: number[] = [];
    const counts: number[] = [];
    const firsts: number[] = [];
    const totals = new Array<number>(KINDS).fill(0);
    for (let slot = 1; slot <= stepCount; slot++)
      for (let m2 = maskOf(slot); m2 !== 0; m2 &= m2 - 1) totals[31 - Math.clz32(m2 & -m2)]!++;
    for (let b = 0; b < buckets; b++) {
      const first = from + Math.floor(((to - from) * b) / buckets);
      const end = from + Math.floor(((to - from) * (b + 1)) / buckets);
      const n = new Array<number>(KINDS).fill(0);
      const at = new Array<number>(KINDS).fill(-1);
      let mask = 0;
      for (let slot = first; slot < end; slot++) {
        const own = maskOf(slot);
        mask |= own;
        for (let bits = own; bits !== 0; bits &= bits - 1) {
          const i = 31 - Math.clz32(bits & -bits);
          n[i]!++;
          if (at[i] === -1) at[i] = slot;
        }
      }
      kinds.push(mask);
      for (let bits = mask; bits !== 0; bits &= bits - 1) {
        const i = 31 - Math.clz32(bits & -bits);
        counts.push(n[i]!);
        firsts.push(at[i]!);
      }
    }
    return { from, to, stepCount, kinds, counts, firsts, totals };
  };
  const hex = (value: bigint): string => `0x${value.toString(16)}`;
  // Pages that were written: present, writable, user, accessed, dirty, no-execute.
  const pteRaw = (frame: bigint): string => hex((1n << 63n) | (frame << 12n) | 0x67n);
  const spaceOf = (id: unknown): FakePteSpace | undefined => config.ptes.find((s) => s.spaceId === id);
  const answer = (m: Message): void => {
    switch (m.type) {
      case 'ready':
        reply(config.onReady);
        if (config.shared !== undefined)
          reply({ type: 'shared', shared: { ...shared, breakpointLines: [] } });
        return;
      case 'compareWithStep':
        shared.compareStep = m['step'] as number | null;
        reply({ type: 'shared', shared: { ...shared, breakpointLines: [] } });
        return;
      case 'requestTimeline':
        reply({ type: 'timeline', requestId: m['requestId'], timeline: timeline(m) });
        return;
      case 'requestPteRows': {
        const space = spaceOf(m['spaceId']);
        const from = m['from'] as number;
        const total = space === undefined ? 0 : space.count;
        const to = Math.min(m['to'] as number, total);
        const rows = [];
        for (let i = from; space !== undefined && i < to; i++) {
          const vaddr = BigInt(space.base) + BigInt(i) * 4096n;
          rows.push({ vaddr: hex(vaddr), raw: pteRaw(0x10000n + BigInt(i)), regionId: space.regionId });
        }
        reply({
          type: 'pteRows',
          requestId: m['requestId'],
          spaceId: m['spaceId'],
          regionId: m['regionId'],
          from,
          total,
          rows,
        });
        return;
      }
      case 'requestPteRowIndex': {
        const space = spaceOf(m['spaceId']);
        let index: number | null = null;
        if (space !== undefined) {
          const offset = (BigInt(m['vaddr'] as string) - BigInt(space.base)) / 4096n;
          if (offset >= 0n && offset < BigInt(space.count)) index = Number(offset);
        }
        reply({ type: 'pteRowIndex', requestId: m['requestId'], index });
        return;
      }
      case 'requestPageWalk': {
        const vaddr = BigInt(m['vaddr'] as string);
        const index = (shift: bigint): number => Number((vaddr >> shift) & 0x1ffn);
        const space = spaceOf(m['spaceId']);
        const mapped =
          space !== undefined &&
          vaddr >= BigInt(space.base) &&
          vaddr < BigInt(space.base) + BigInt(space.count) * 4096n;
        const frame = space === undefined ? 0n : 0x10000n + (vaddr - BigInt(space.base)) / 4096n;
        const levels = [
          { level: 'PML4', tableAddress: '0x7fe000', index: index(39n), raw: '0x7fd027' },
          { level: 'PDPT', tableAddress: '0x7fd000', index: index(30n), raw: '0x7fc027' },
          { level: 'PD', tableAddress: '0x7fc000', index: index(21n), raw: mapped ? '0x7f0027' : '0x0' },
        ];
        if (mapped)
          levels.push({ level: 'PT', tableAddress: '0x7f0000', index: index(12n), raw: pteRaw(frame) });
        reply({
          type: 'pageWalk',
          requestId: m['requestId'],
          walk: {
            spaceId: m['spaceId'],
            vaddr: hex(vaddr),
            levels,
            paddr: mapped ? hex((frame << 12n) | (vaddr & 0xfffn)) : null,
            regionId: mapped && space !== undefined ? space.regionId : null,
          },
        });
        return;
      }
      case 'requestMemory': {
        const memory = config.memory ?? { step: 1, unreadable: [], changed: [] };
        const start = BigInt(m['address'] as string);
        const length = m['length'] as number;
        const within = (ranges: [string, string][], a: bigint): boolean =>
          ranges.some(([from, to]) => a >= BigInt(from) && a < BigInt(to));
        let bytes = '';
        const readable = new Array<number>(Math.ceil(length / 8)).fill(0);
        const changed = new Array<number>(Math.ceil(length / 8)).fill(0);
        for (let i = 0; i < length; i++) {
          const a = start + BigInt(i);
          const ok = !within(memory.unreadable, a);
          bytes += String.fromCharCode(ok ? Number(a & 0xffn) : 0);
          if (ok) readable[i >> 3]! |= 1 << (i & 7);
          if (ok && within(memory.changed, a)) changed[i >> 3]! |= 1 << (i & 7);
        }
        const b64 = (text: string): string =>
          (globalThis as unknown as { btoa(s: string): string }).btoa(text);
        const maskText = (mask: number[]): string => mask.map((byte) => String.fromCharCode(byte)).join('');
        reply({
          type: 'memory',
          requestId: m['requestId'],
          window: {
            space: m['space'],
            address: hex(start),
            length,
            step: memory.step,
            comparedStep: memory.step > 0 ? memory.step - 1 : null,
            bytes: b64(bytes),
            readable: b64(maskText(readable)),
            changed: b64(maskText(changed)),
          },
        });
        return;
      }
      case 'requestFrameInfo':
        reply({
          type: 'frameInfo',
          requestId: m['requestId'],
          info: {
            frame: m['frame'],
            kind: 'anonymous',
            refCount: 1,
            zoneId: '0:4',
            mappings: [{ spaceId: 'pid:1', vaddr: '0x1000000', regionId: '0x1000000' }],
          },
        });
        return;
      default:
        return;
    }
  };
  w['acquireVsCodeApi'] = () => ({
    postMessage(message: Message) {
      posted.push(message);
      answer(message);
    },
    getState: () => saved,
    setState(state: unknown) {
      saved = state;
    },
  });
}
