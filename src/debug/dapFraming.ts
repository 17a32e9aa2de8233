// Cuts the adapter's input stream into DAP messages ("Content-Length: N\r\n\r\n" then N bytes of
// JSON) and survives whatever a client or a broken pipe sends. A frame that cannot be read is
// reported (the caller tells the user) and the reader resynchronises on the next header, instead of
// ending the session or waiting forever for bytes that never come.
//
// Resynchronising is sound because a header can never occur inside a valid JSON body: raw CR and LF
// are not allowed in JSON strings and "Content-Length" is not a JSON token. So when a header shows
// up where a body should be, the frame before it was cut short or lied about its length.

/** The largest body the adapter accepts; a client never needs more (a whole scenario is far less). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** What the reader found: a parsed message (any JSON value) or a frame it had to drop, and why. */
export type Framed =
  | { readonly kind: 'message'; readonly value: unknown }
  | { readonly kind: 'dropped'; readonly reason: string };

const SEPARATOR = Buffer.from('\r\n\r\n', 'latin1');
const HEADER_NAME = Buffer.from('Content-Length:', 'latin1');
/** A complete header that starts with its length, as the text after HEADER_NAME's position. */
const HEADER = /^Content-Length: *[0-9]+\r\n(?:[^\r\n]*\r\n)*?\r\n/;
/** The longest header the reader waits for. */
const MAX_HEADER_BYTES = 4096;
/** How much of a dropped frame a report quotes. */
const QUOTE_BYTES = 60;

function quote(bytes: Buffer): string {
  const text = bytes.subarray(0, QUOTE_BYTES).toString('utf8');
  return JSON.stringify(bytes.length > QUOTE_BYTES ? `${text}…` : text);
}

export class DapFrameReader {
  private buffered: Buffer = Buffer.alloc(0);
  /** The length of the body being read; -1 while reading a header. */
  private bodyLength = -1;
  /** Bytes are skipped up to the next header (after a frame too large to hold). */
  private skipping = false;
  /** How much of the body being read was already searched for a header (less an overlap). */
  private searched = 0;

  /** The bytes held for a frame not complete yet: at most a header's worth while skipping. */
  get pendingBytes(): number {
    return this.buffered.length;
  }

  /** Takes the next bytes of the stream; returns what they complete, in order. */
  push(bytes: Buffer): Framed[] {
    this.buffered = this.buffered.length === 0 ? bytes : Buffer.concat([this.buffered, bytes]);
    const out: Framed[] = [];
    // Each turn consumes bytes or breaks, so the loop ends within the bytes it holds.
    for (;;) {
      if (this.skipping) {
        if (!this.skipToHeader()) break;
        continue;
      }
      if (this.bodyLength < 0) {
        if (!this.readHeader(out)) break;
        continue;
      }
      if (!this.readBody(out)) break;
    }
    return out;
  }

  /** Drops bytes up to the next header; false when none has arrived yet (the tail is kept). */
  private skipToHeader(): boolean {
    const at = headerStart(this.buffered, 0);
    if (at < 0) {
      // Keep only what could be the start of a header cut in two.
      this.buffered = this.buffered.subarray(Math.max(0, this.buffered.length - MAX_HEADER_BYTES));
      return false;
    }
    this.buffered = this.buffered.subarray(at);
    this.skipping = false;
    return true;
  }

  private readHeader(out: Framed[]): boolean {
    const at = headerStart(this.buffered, 0);
    if (at > 0) {
      out.push({
        kind: 'dropped',
        reason: `bytes outside any frame: ${quote(this.buffered.subarray(0, at))}`,
      });
      this.buffered = this.buffered.subarray(at);
      return true;
    }
    const end = this.buffered.indexOf(SEPARATOR);
    if (end < 0) {
      if (this.buffered.length <= MAX_HEADER_BYTES) return false;
      out.push({
        kind: 'dropped',
        reason: `a header longer than ${MAX_HEADER_BYTES} bytes: ${quote(this.buffered)}`,
      });
      this.skipping = true;
      this.buffered = this.buffered.subarray(1);
      return true;
    }
    const header = this.buffered.subarray(0, end + SEPARATOR.length);
    this.buffered = this.buffered.subarray(end + SEPARATOR.length);
    if (at < 0) {
      out.push({ kind: 'dropped', reason: `${headerProblem(header.toString('latin1'))}: ${quote(header)}` });
      return true;
    }
    const length = Number(/^Content-Length: *([0-9]+)/.exec(header.toString('latin1'))![1]);
    if (length > MAX_FRAME_BYTES) {
      out.push({
        kind: 'dropped',
        reason: `a frame of ${length} bytes, more than the ${MAX_FRAME_BYTES} the adapter accepts`,
      });
      this.skipping = true;
      return true;
    }
    this.bodyLength = length;
    this.searched = 0;
    return true;
  }

  private readBody(out: Framed[]): boolean {
    const available = this.buffered.subarray(0, this.bodyLength);
    const next = headerStart(available, this.searched);
    // A header cut in two at the end is searched again with the bytes that complete it.
    this.searched = Math.max(0, available.length - MAX_HEADER_BYTES);
    if (next >= 0) {
      // A header where the body should be: the frame was cut short.
      out.push({
        kind: 'dropped',
        reason: `a frame cut short (${next} of ${this.bodyLength} bytes before the next header): ${quote(available.subarray(0, next))}`,
      });
      this.buffered = this.buffered.subarray(next);
      this.bodyLength = -1;
      return true;
    }
    if (this.buffered.length < this.bodyLength) return false;
    const body = this.buffered.subarray(0, this.bodyLength);
    this.buffered = this.buffered.subarray(this.bodyLength);
    this.bodyLength = -1;
    try {
      out.push({ kind: 'message', value: JSON.parse(body.toString('utf8')) as unknown });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      out.push({ kind: 'dropped', reason: `a body that is not JSON (${why}): ${quote(body)}` });
    }
    return true;
  }
}

/** Where the first complete header at or after `from` starts in `bytes`, or -1. */
function headerStart(bytes: Buffer, from: number): number {
  for (let at = bytes.indexOf(HEADER_NAME, from); at >= 0; at = bytes.indexOf(HEADER_NAME, at + 1)) {
    const text = bytes.subarray(at, at + MAX_HEADER_BYTES).toString('latin1');
    if (HEADER.test(text)) return at;
  }
  return -1;
}

/** What is wrong with a header block that does not start with a byte count. */
function headerProblem(header: string): string {
  const named = header.split('\r\n').find((line) => /^content-length *:/i.test(line));
  return named === undefined
    ? 'a header without Content-Length'
    : `a Content-Length that is not a byte count (${JSON.stringify(named)})`;
}

/** Why a parsed value is not a DAP message the adapter can act on; null when it is one. */
export function messageProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `received ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}, not a DAP message`;
  const message = value as Record<string, unknown>;
  if (typeof message['seq'] !== 'number' || !Number.isSafeInteger(message['seq']))
    return `received a message without a numeric 'seq'`;
  if (message['type'] === 'response' || message['type'] === 'event') return null;
  if (message['type'] !== 'request')
    return `received a message whose 'type' is not request, response or event`;
  if (typeof message['command'] !== 'string') return `received a request without a 'command' string`;
  const args = message['arguments'];
  if (args !== undefined && (typeof args !== 'object' || args === null || Array.isArray(args)))
    return `'arguments' of '${message['command']}' must be an object`;
  return null;
}
