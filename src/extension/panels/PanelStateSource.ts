// What the panels need from the debug session. The extension wiring implements it over the selected
// session's timeline; the panels never reach the engine in any other way.
import type {
  FrameInfoDto,
  MachineStateDto,
  PageWalkDto,
  PteRowDto,
  SessionInfoDto,
} from '../../protocol/dto';
import type { MemoryWindowDto } from '../../protocol/memoryWindow';
import type { TimelineDto } from '../../protocol/timeline';
import type { MemoryWindowRequest } from '../../views/memoryWindow';
import type { TimelineMarks, TimelineRequest } from '../../views/timeline';

export interface DisposableLike {
  dispose(): void;
}

export interface CurrentState {
  session: SessionInfoDto;
  state: MachineStateDto;
}

export interface PanelStateSource {
  /** The current step of the selected debug session, or undefined when there is none. */
  current(): CurrentState | undefined;
  /** An earlier step of the same session, for "compare with step"; undefined if it is not kept. */
  stateAt(step: number): MachineStateDto | undefined;
  /** Fires when the session, or its current step, changes (forward, back, jump, end). A vscode.Event fits. */
  onDidChange(listener: () => void): DisposableLike;
  /** The walk of `vaddr` in an address space at the current step. Throws an Error to reply with its message. */
  pageWalk(spaceId: string, vaddr: string): PageWalkDto;
  /** Rows [from, to) of the present PTEs in address order, of one region when `regionId` is set. */
  pteRows(
    spaceId: string,
    regionId: string | null,
    from: number,
    to: number,
  ): { total: number; rows: PteRowDto[] };
  /** The row index of vaddr's present PTE in that same order, or null when it is not present. */
  pteRowIndex(spaceId: string, regionId: string | null, vaddr: string): number | null;
  frameInfo(frame: number): FrameInfoDto;
  /** Slots [from, to) of the run in buckets, with these breakpoint lines and bookmarked steps marked. */
  timeline(request: TimelineRequest, marks: TimelineMarks): TimelineDto;
  /** Opens VS Code's memory view on the region (through the adapter's memoryReference). */
  openInBinaryView(spaceId: string, regionId: string): void | PromiseLike<void>;
  /**
   * A window of memory at the current step, with the bytes changed since `baseStep` (null: compare
   * with nothing). Throws an Error to reply with its message. Optional for sources without memory.
   */
  memoryWindow?(request: MemoryWindowRequest, baseStep: number | null): MemoryWindowDto;
  /** Why nothing is shown when current() is undefined. */
  noSessionReason?(): string;
}
