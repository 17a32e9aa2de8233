// What a selection means in the other views: a virtual page is also the frame it maps, and a frame is
// also the first virtual page that maps it. The views each reveal the kind of target they show.
import type { SelectionTargetDto } from '../../protocol/dto';
import { toHex } from '../../protocol/pagingEntry';
import type { PanelStateSource } from './PanelStateSource';

export function linkedTargets(target: SelectionTargetDto, source: PanelStateSource): SelectionTargetDto[] {
  const targets: SelectionTargetDto[] = [target];
  try {
    if (target.kind === 'page' || target.kind === 'address') {
      const walk = source.pageWalk(target.spaceId, target.vaddr);
      if (walk.paddr !== null) targets.push({ kind: 'frame', paddr: toHex(BigInt(walk.paddr) & ~0xfffn) });
    } else if (target.kind === 'frame') {
      const mapping = source.frameInfo(Number(BigInt(target.paddr) >> 12n)).mappings[0];
      if (mapping !== undefined)
        targets.push({ kind: 'page', spaceId: mapping.spaceId, vaddr: mapping.vaddr });
    }
  } catch {
    // An address the source cannot walk still reveals as itself.
  }
  return targets;
}
