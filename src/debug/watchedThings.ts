// The things of the memory manager one can follow through the recorded history ("previous / next
// change of this thing"), named the way the panels name them and without any machine: a PTE or a
// virtual page by address space ("kernel", "pid:<n>") and page address, a region by the engine's
// region id within its space, a physical frame by its address, a zone by "<physical region>:<zone>",
// and the system's page counters by name. `ThingRef` (src/protocol/things.ts) is the spelling
// clients send (plain JSON, addresses as the protocol's hex); `Thing` is the same thing decoded,
// numbers and all. Parsing is strict, so that every thing has one spelling and nothing malformed
// reaches a machine.

import { PAGE_SIZE } from '../protocol/pagingEntry';
import { type SpaceRef, parseViewSpaceId, spaceLabel, viewSpaceId } from '../protocol/addressSpaces';
import { hex } from '../protocol/schema';
import {
  COUNTER_NAMES,
  type CounterName,
  THING_KINDS,
  type ThingKind,
  type ThingRef,
} from '../protocol/things';

export { COUNTER_NAMES, THING_KINDS } from '../protocol/things';
export type { CounterName, ThingKind, ThingRef } from '../protocol/things';

/** A thing decoded: spaces as refs, addresses and ids as exact numbers. */
export type Thing =
  | { readonly kind: 'pte'; readonly space: SpaceRef; readonly vaddr: number }
  | { readonly kind: 'page'; readonly space: SpaceRef; readonly vaddr: number }
  | { readonly kind: 'region'; readonly space: SpaceRef; readonly regionId: number }
  | { readonly kind: 'frame'; readonly paddr: number }
  | { readonly kind: 'zone'; readonly physicalRegion: number; readonly zone: number }
  | { readonly kind: 'counter'; readonly name: CounterName };

/** The fields each kind has, `kind` included: anything else is refused. */
const FIELDS: Readonly<Record<ThingKind, readonly string[]>> = {
  pte: ['kind', 'space', 'vaddr'],
  page: ['kind', 'space', 'vaddr'],
  region: ['kind', 'space', 'regionId'],
  frame: ['kind', 'paddr'],
  zone: ['kind', 'zoneId'],
  counter: ['kind', 'name'],
};

const DECIMAL = /^(0|[1-9][0-9]*)$/;
const ZONE_ID = /^(0|[1-9][0-9]*):(0|[1-9][0-9]*)$/;

/** A field that is not what it should be: its message names the field. */
class ThingFieldError extends Error {}

function refuse(message: string): never {
  throw new ThingFieldError(message);
}

function isThingKind(value: unknown): value is ThingKind {
  return typeof value === 'string' && (THING_KINDS as readonly string[]).includes(value);
}

function stringField(fields: Record<string, unknown>, name: string): string {
  const value = fields[name];
  if (typeof value !== 'string') refuse(`'thing.${name}' must be a string`);
  return value;
}

function spaceField(fields: Record<string, unknown>): SpaceRef {
  const space = parseViewSpaceId(stringField(fields, 'space'));
  return space ?? refuse(`'thing.space' must be "kernel" or "pid:<n>"`);
}

/** The start of a page, in the protocol's hex, within the addresses the engine holds exactly. */
function pageAddressField(fields: Record<string, unknown>, name: string): number {
  const text = stringField(fields, name);
  const malformed = hex.check(text, `'thing.${name}'`);
  if (malformed !== null) refuse(malformed);
  const address = BigInt(text);
  if (address > BigInt(Number.MAX_SAFE_INTEGER))
    refuse(`'thing.${name}' is beyond the addresses the machine simulates`);
  if (address % BigInt(PAGE_SIZE) !== 0n)
    refuse(`'thing.${name}' must be the start of a page (a multiple of 0x${PAGE_SIZE.toString(16)})`);
  return Number(address);
}

function decimalField(text: string, name: string): number {
  const value = Number(text);
  if (!DECIMAL.test(text) || !Number.isSafeInteger(value))
    refuse(`'thing.${name}' must be a decimal number without sign or leading zeros`);
  return value;
}

function decode(kind: ThingKind, fields: Record<string, unknown>): Thing {
  switch (kind) {
    case 'pte':
    case 'page':
      return { kind, space: spaceField(fields), vaddr: pageAddressField(fields, 'vaddr') };
    case 'region':
      return {
        kind,
        space: spaceField(fields),
        regionId: decimalField(stringField(fields, 'regionId'), 'regionId'),
      };
    case 'frame':
      return { kind, paddr: pageAddressField(fields, 'paddr') };
    case 'zone': {
      const match = ZONE_ID.exec(stringField(fields, 'zoneId'));
      if (match === null) refuse(`'thing.zoneId' must be "<physical region>:<zone>", as in "0:1"`);
      return {
        kind,
        physicalRegion: decimalField(match[1]!, 'zoneId'),
        zone: decimalField(match[2]!, 'zoneId'),
      };
    }
    case 'counter': {
      const name = stringField(fields, 'name');
      if (!(COUNTER_NAMES as readonly string[]).includes(name))
        refuse(`'thing.name' must be one of ${COUNTER_NAMES.join(', ')}`);
      return { kind, name: name as CounterName };
    }
  }
}

/** A thing from what a client sent, or why it is not one (a sentence naming the field). */
export function parseThingRef(raw: unknown): { thing: Thing } | { error: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return {
      error: `'thing' must be an object such as { "kind": "pte", "space": "pid:1", "vaddr": "0x10000" }`,
    };
  const fields = raw as Record<string, unknown>;
  const kind = fields['kind'];
  if (!isThingKind(kind)) return { error: `'thing.kind' must be one of ${THING_KINDS.join(', ')}` };
  const extra = Object.keys(fields).find((name) => !FIELDS[kind].includes(name));
  if (extra !== undefined)
    return { error: `a ${kind} has no field '${extra}' (it has ${FIELDS[kind].join(', ')})` };
  try {
    return { thing: decode(kind, fields) };
  } catch (e) {
    if (e instanceof ThingFieldError) return { error: e.message };
    throw e;
  }
}

const hexOf = (value: number): string => `0x${value.toString(16)}`;

/** The client's spelling of a thing: parseThingRef(thingRefOf(t)) gives t back. */
export function thingRefOf(thing: Thing): ThingRef {
  switch (thing.kind) {
    case 'pte':
    case 'page':
      return { kind: thing.kind, space: viewSpaceId(thing.space), vaddr: hexOf(thing.vaddr) };
    case 'region':
      return { kind: thing.kind, space: viewSpaceId(thing.space), regionId: String(thing.regionId) };
    case 'frame':
      return { kind: thing.kind, paddr: hexOf(thing.paddr) };
    case 'zone':
      return { kind: thing.kind, zoneId: `${thing.physicalRegion}:${thing.zone}` };
    case 'counter':
      return { kind: thing.kind, name: thing.name };
  }
}

function inSpace(space: SpaceRef): string {
  return space.kind === 'kernel' ? 'in the kernel' : `in ${spaceLabel(space)}`;
}

/** The thing in words: "the PTE of 0x10000 in pid 1", "frame 0x2f000", "the counter of used pages". */
export function describeThing(thing: Thing): string {
  switch (thing.kind) {
    case 'pte':
      return `the PTE of ${hexOf(thing.vaddr)} ${inSpace(thing.space)}`;
    case 'page':
      return `page ${hexOf(thing.vaddr)} ${inSpace(thing.space)}`;
    case 'region':
      return `region ${thing.regionId} ${inSpace(thing.space)}`;
    case 'frame':
      return `frame ${hexOf(thing.paddr)}`;
    case 'zone':
      return `zone ${thing.physicalRegion}:${thing.zone}`;
    case 'counter':
      return `the counter of ${thing.name} pages`;
  }
}
