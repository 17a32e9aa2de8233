import type { AddressSpaceDto } from './dto';

// Which address space a view that walks page tables shows. The one the user chose is remembered
// with the webview's state, across steps and across sessions; but a process that has exited has no
// page tables left, so a remembered pid:1 from an earlier session (or one that exited at this step)
// would only show "No walk: … has exited". Such a choice gives way to a live space.

/**
 * The remembered space when it exists and is alive at this step; otherwise the first live process,
 * else the kernel, else whatever space there is ('' when there is none).
 */
export function walkableSpaceId(spaces: readonly AddressSpaceDto[], remembered: string): string {
  const kept = spaces.find((space) => space.id === remembered);
  if (kept !== undefined && kept.alive) return kept.id;
  return (
    spaces.find((space) => space.kind === 'process' && space.alive)?.id ??
    spaces.find((space) => space.kind === 'kernel')?.id ??
    spaces[0]?.id ??
    ''
  );
}
