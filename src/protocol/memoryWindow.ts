// A window of simulated memory as the Memory panel shows it: the bytes of one stretch of a virtual
// address space or of physical memory at the current step, which of them a load could read, and
// which differ from the compared step. Masks hold one bit per byte (bit i % 8 of byte i / 8), so a
// full window travels as 4 KiB of data and two 512-byte masks, all in base64.
import { decodeBase64, encodeBase64 } from './base64';
import { count, hex, type Infer, nullable, obj, pattern } from './schema';

/** The most bytes one request may ask for: one page, the most a panel shows at once. */
export const MAX_MEMORY_WINDOW = 4096;

/** The largest address plus one: a window may end at 2^64 but not past it. */
const ADDRESS_LIMIT = 1n << 64n;

/** The Memory panel's spaces: the views' ids of virtual address spaces, and physical memory. */
export const PHYSICAL_SPACE_ID = 'physical';
export const MemorySpaceId = pattern(
  /^(kernel|pid:(0|[1-9][0-9]*)|physical)$/,
  'an address space ("kernel", "pid:<n>") or "physical"',
);

const base64 = pattern(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

export const MemoryWindowDto = obj({
  space: MemorySpaceId,
  address: hex,
  /** Bytes in the window, 1 … MAX_MEMORY_WINDOW. */
  length: count,
  /** The step whose state the bytes are. */
  step: count,
  /** The step the changed mask compares with; null when nothing is compared (step 0). */
  comparedStep: nullable(count),
  /** The bytes, unreadable ones as 0. */
  bytes: base64,
  /** One bit per byte: set when a load of the byte would succeed (mapped, backed by RAM). */
  readable: base64,
  /** One bit per byte: set when the byte is readable and differs from, or was unreadable at, the compared step. */
  changed: base64,
});
export type MemoryWindowDto = Infer<typeof MemoryWindowDto>;

/** Where a Memory panel looks: a space and an address in it (the panel keeps its own length). */
export const MemoryTargetDto = obj({ space: MemorySpaceId, address: hex });
export type MemoryTargetDto = Infer<typeof MemoryTargetDto>;

/** Why a window cannot be read, or null when it fits: 1 … 4096 bytes ending at or below 2^64. */
export function checkMemoryWindow(address: string, length: number): string | null {
  if (length < 1 || length > MAX_MEMORY_WINDOW)
    return `a memory window holds 1 to ${MAX_MEMORY_WINDOW} bytes, not ${length}`;
  if (hex.check(address, 'address') !== null) return `"${address}" is not a hex address`;
  if (BigInt(address) + BigInt(length) > ADDRESS_LIMIT)
    return `a window of ${length} bytes at ${address} runs past the top of the 64-bit address space`;
  return null;
}

/** One bit per flag, least significant bit first. */
export function packMask(flags: ArrayLike<boolean>): Uint8Array {
  const out = new Uint8Array(Math.ceil(flags.length / 8));
  for (let i = 0; i < flags.length; i++) if (flags[i]) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

export function maskBit(mask: Uint8Array, i: number): boolean {
  return ((mask[i >> 3] ?? 0) & (1 << (i & 7))) !== 0;
}

/** The DTO's three base64 fields decoded; throws when their lengths do not match the window's. */
export function decodeMemoryWindow(window: MemoryWindowDto): {
  bytes: Uint8Array;
  readable: Uint8Array;
  changed: Uint8Array;
} {
  const bytes = decodeBase64(window.bytes);
  const readable = decodeBase64(window.readable);
  const changed = decodeBase64(window.changed);
  const maskLength = Math.ceil(window.length / 8);
  if (bytes.length !== window.length || readable.length !== maskLength || changed.length !== maskLength)
    throw new Error(
      `a memory window of ${window.length} bytes came with ${bytes.length} bytes and masks of ${readable.length} and ${changed.length}`,
    );
  return { bytes, readable, changed };
}

export function encodeMemoryWindowParts(bytes: Uint8Array, readable: boolean[], changed: boolean[]) {
  return {
    bytes: encodeBase64(bytes),
    readable: encodeBase64(packMask(readable)),
    changed: encodeBase64(packMask(changed)),
  };
}
