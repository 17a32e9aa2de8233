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
}

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
  const hex = (value: bigint): string => `0x${value.toString(16)}`;
  const pteRaw = (frame: bigint): string => hex((1n << 63n) | (frame << 12n) | 7n);
  const spaceOf = (id: unknown): FakePteSpace | undefined => config.ptes.find((s) => s.spaceId === id);
  const answer = (m: Message): void => {
    switch (m.type) {
      case 'ready':
        reply(config.onReady);
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
          { level: 'PML4', tableAddress: '0x7fe000', index: index(39n), raw: '0x7fd007' },
          { level: 'PDPT', tableAddress: '0x7fd000', index: index(30n), raw: '0x7fc007' },
          { level: 'PD', tableAddress: '0x7fc000', index: index(21n), raw: mapped ? '0x7f0007' : '0x0' },
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
