import { MemoryTargetDto, PHYSICAL_SPACE_ID } from '../../protocol/memoryWindow';
import { toHex } from '../../protocol/pagingEntry';
import { thingInWebviewContext, type ThingRef } from '../../protocol/things';
import { resolveRegion, resolveSpace } from '../../views/resolveSpace';
import type { Ctx } from '../Ctx';
import type { CommandHandler } from './registry';

// The Memory panel's commands: "Open Memory" (from the palette, or with a target such as
// `{ space: 'pid:1', address: '0x10000' }` from a hover's link or another extension) and "Show in
// Memory" on a region, page, PTE or frame, which opens the panel at the thing's first byte.

const EXAMPLE = `{ space: 'pid:1', address: '0x10000' }`;

/** Opens (or reveals) the Memory panel, at the target it was handed if any; answers that target. */
export function openMemory(ctx: Ctx): CommandHandler {
  return (argument?: unknown) => {
    const panels = ctx.panels;
    if (panels === undefined) throw new Error('the panels are not ready yet.');
    if (argument === undefined || argument === null) {
      panels.openMemory();
      return undefined;
    }
    const misfit = MemoryTargetDto.check(argument, 'target');
    if (misfit !== null) throw new Error(`say where to look, e.g. ${EXAMPLE} (${misfit}).`);
    const { space, address } = argument as MemoryTargetDto;
    const target = { space, address };
    panels.openMemory(target);
    return target;
  };
}

/** Opens the Memory panel at a thing (a region's base, a page's or PTE's page, a frame); answers where. */
export function showInMemory(ctx: Ctx): CommandHandler {
  return (argument?: unknown) => {
    const panels = ctx.panels;
    if (panels === undefined) throw new Error('the panels are not ready yet.');
    const thing = (thingInWebviewContext(argument) ?? argument) as ThingRef | undefined | null;
    if (typeof thing !== 'object' || thing === null)
      throw new Error('say which region, page or frame to show.');
    const target = memoryTargetOf(ctx, thing);
    panels.openMemory(target);
    return target;
  };
}

function memoryTargetOf(ctx: Ctx, thing: ThingRef): MemoryTargetDto {
  switch (thing.kind) {
    case 'page':
    case 'pte':
      return { space: thing.space, address: thing.vaddr };
    case 'frame':
      return { space: PHYSICAL_SPACE_ID, address: thing.paddr };
    case 'region': {
      const view = ctx.sessions.selected()?.view;
      if (view === undefined) throw new Error('no MMU Lens debug session is stopped.');
      const region = resolveRegion(resolveSpace(view.inspector.machine, thing.space), thing.regionId);
      return { space: thing.space, address: toHex(region.base) };
    }
    default:
      throw new Error(`a ${thing.kind} has no address to show in memory.`);
  }
}
