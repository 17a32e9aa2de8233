// Every message between the extension and a webview, each written once. Messages from the extension
// carry a snapshot once and patches after it; large tables (present PTEs) are fetched in windows.
import {
  ChangeSetDto,
  FrameInfoDto,
  MachineStateDto,
  PageWalkDto,
  PanelKind,
  PteRowDto,
  SelectionTargetDto,
  SessionInfoDto,
  StatePatchDto,
} from './dto';
import { arr, count, hex, type Infer, literal, nullable, obj, oneOf, str, tagged } from './schema';
import {
  checkMemoryWindow,
  decodeMemoryWindow,
  MemorySpaceId,
  MemoryTargetDto,
  MemoryWindowDto,
} from './memoryWindow';
import { checkTimeline, MAX_TIMELINE_BUCKETS, SharedViewDto, TimelineDto } from './timeline';

/** Bumped when a message changes shape, so a restored webview from an older build is told to reload. */
export const PROTOCOL_VERSION = 2;

// ------------------------------------------------------------------------- extension → webview

export const HostMessage = tagged('type', [
  /** The whole state of the current step, sent first and whenever a view cannot apply a patch. */
  obj({
    type: literal('snapshot'),
    session: SessionInfoDto,
    state: MachineStateDto,
    changes: ChangeSetDto,
  }),
  /** The step moved (forward, back or jump): apply to the state of `patch.fromStep`. */
  obj({ type: literal('patch'), session: SessionInfoDto, patch: StatePatchDto, changes: ChangeSetDto }),
  /** No debug session to show (none started, or it ended). */
  obj({ type: literal('noSession'), reason: str }),
  /** The "what changed" set against the step the user chose to compare with. */
  obj({ type: literal('changes'), changes: ChangeSetDto }),
  obj({ type: literal('pageWalk'), requestId: count, walk: PageWalkDto }),
  /** Rows [from, from + rows.length) of the present PTEs of a space, with an optional region filter. */
  obj({
    type: literal('pteRows'),
    requestId: count,
    spaceId: str,
    regionId: nullable(str),
    from: count,
    total: count,
    rows: arr(PteRowDto, 10_000),
  }),
  /** Where the PTE of `vaddr` sits in the (filtered) table; null when it is not present. */
  obj({ type: literal('pteRowIndex'), requestId: count, index: nullable(count) }),
  obj({ type: literal('frameInfo'), requestId: count, info: FrameInfoDto }),
  /** Another view selected something: reveal and highlight it. */
  obj({ type: literal('reveal'), target: SelectionTargetDto }),
  /** A request failed or a message was rejected. */
  obj({ type: literal('error'), requestId: nullable(count), message: str }),
  /** What every view shares (compare step, bookmarks, breakpoint lines): sent first and on every change. */
  obj({ type: literal('shared'), shared: SharedViewDto }),
  /** The buckets of a range of the run, in answer to requestTimeline. */
  obj({ type: literal('timeline'), requestId: count, timeline: TimelineDto }),
  /** A window of memory, in answer to requestMemory. */
  obj({ type: literal('memory'), requestId: count, window: MemoryWindowDto }),
  /** The Memory panel should look here (it was opened or asked to show a thing's address). */
  obj({ type: literal('showMemory'), target: MemoryTargetDto }),
]);
export type HostMessage = Infer<typeof HostMessage>;

// ------------------------------------------------------------------------- webview → extension

export const WebviewMessage = tagged('type', [
  /** The webview is loaded and listening; the extension answers with a snapshot or noSession. */
  obj({ type: literal('ready'), panel: PanelKind, protocolVersion: count }),
  obj({ type: literal('requestPageWalk'), requestId: count, spaceId: str, vaddr: hex }),
  /** Ask for rows [from, to) of the present PTEs; at most 10,000 rows per request. */
  obj({
    type: literal('requestPteRows'),
    requestId: count,
    spaceId: str,
    regionId: nullable(str),
    from: count,
    to: count,
  }),
  obj({
    type: literal('requestPteRowIndex'),
    requestId: count,
    spaceId: str,
    regionId: nullable(str),
    vaddr: hex,
  }),
  obj({ type: literal('requestFrameInfo'), requestId: count, frame: count }),
  /** The user selected something: the extension forwards it to the other views as `reveal`. */
  obj({ type: literal('select'), target: SelectionTargetDto }),
  obj({ type: literal('openInBinaryView'), spaceId: str, regionId: str }),
  /**
   * Compare the current step with the previous one (null) or with a chosen earlier step: the choice
   * of every view, which the extension sends back to all of them as `shared`.
   */
  obj({ type: literal('compareWithStep'), step: nullable(count) }),
  obj({
    type: literal('openPanel'),
    panel: oneOf(['regions', 'pageTables', 'zones', 'dmaMmio', 'timeline', 'memory']),
  }),
  /** Ask for slots [from, to) of the run cut into `buckets` buckets (at most one a slot). */
  obj({ type: literal('requestTimeline'), requestId: count, from: count, to: count, buckets: count }),
  /** Take the debug session to a step already reached (the state after step `step`; 0 after boot). */
  obj({ type: literal('travelTo'), step: count }),
  /** Ask for `length` bytes (1 … MAX_MEMORY_WINDOW) of a space at `address`, at the current step. */
  obj({
    type: literal('requestMemory'),
    requestId: count,
    space: MemorySpaceId,
    address: hex,
    length: count,
  }),
  /** The webview rejected a message from the extension; logged by the extension. */
  obj({ type: literal('error'), message: str }),
]);
export type WebviewMessage = Infer<typeof WebviewMessage>;

export type Validation<T> = { ok: true; message: T } | { ok: false; error: string };

/** Checks a message received by a webview. Never throws. */
export function validateHostMessage(value: unknown): Validation<HostMessage> {
  const error = HostMessage.check(value, 'message');
  if (error !== null) return { ok: false, error };
  const message = value as HostMessage;
  if (message.type === 'timeline') {
    const misfit = checkTimeline(message.timeline, 'message.timeline');
    if (misfit !== null) return { ok: false, error: misfit };
  }
  if (message.type === 'memory') {
    try {
      decodeMemoryWindow(message.window);
    } catch (error) {
      return { ok: false, error: `message.window: ${(error as Error).message}` };
    }
  }
  return { ok: true, message };
}

/** The largest window of PTE rows one request may ask for. */
export const MAX_PTE_ROWS_PER_REQUEST = 10_000;

/** Checks a message received by the extension. Never throws. */
export function validateWebviewMessage(value: unknown): Validation<WebviewMessage> {
  const error = WebviewMessage.check(value, 'message');
  if (error !== null) return { ok: false, error };
  const message = value as WebviewMessage;
  const misfit =
    message.type === 'requestPteRows'
      ? checkPteWindow(message.to - message.from)
      : message.type === 'requestTimeline'
        ? checkTimelineRequest(message)
        : message.type === 'requestMemory'
          ? prefixed(checkMemoryWindow(message.address, message.length))
          : null;
  return misfit === null ? { ok: true, message } : { ok: false, error: misfit };
}

function prefixed(misfit: string | null): string | null {
  return misfit === null ? null : `message: ${misfit}`;
}

function checkPteWindow(size: number): string | null {
  return size <= 0 || size > MAX_PTE_ROWS_PER_REQUEST
    ? `message: a PTE window holds 1 to ${MAX_PTE_ROWS_PER_REQUEST} rows, not ${size}`
    : null;
}

/** A range of at least one slot, cut into 1 to MAX_TIMELINE_BUCKETS buckets of at least one slot each. */
function checkTimelineRequest(request: { from: number; to: number; buckets: number }): string | null {
  const slots = request.to - request.from;
  if (slots <= 0) return `message: an empty range of slots ${request.from}..${request.to}`;
  const most = Math.min(slots, MAX_TIMELINE_BUCKETS);
  return request.buckets < 1 || request.buckets > most
    ? `message: ${slots} slots are cut into 1 to ${most} buckets, not ${request.buckets}`
    : null;
}
