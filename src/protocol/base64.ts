// Base64 for the frame map, written out so that the extension host (Node) and the webview (browser)
// share one implementation without Buffer or atob. A 4 GiB machine's map is a megabyte: both
// directions work on typed arrays, and the text is made from its character codes in one go.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = 61; // '='
const CODES = new Uint8Array(64);
const DIGITS = new Int16Array(256).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) {
  CODES[i] = ALPHABET.charCodeAt(i);
  DIGITS[ALPHABET.charCodeAt(i)] = i;
}

/** Base64 uses ASCII only, which every single-byte decoding reads alike. */
const asciiText = new TextDecoder('latin1');

export function encodeBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const triple = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out[o++] = CODES[triple >> 18]!;
    out[o++] = CODES[(triple >> 12) & 63]!;
    out[o++] = CODES[(triple >> 6) & 63]!;
    out[o++] = CODES[triple & 63]!;
  }
  if (i < n) {
    const two = i + 1 < n;
    const triple = (bytes[i]! << 16) | ((two ? bytes[i + 1]! : 0) << 8);
    out[o++] = CODES[triple >> 18]!;
    out[o++] = CODES[(triple >> 12) & 63]!;
    out[o++] = two ? CODES[(triple >> 6) & 63]! : PAD;
    out[o++] = PAD;
  }
  return asciiText.decode(out);
}

/**
 * Decodes base64; throws on a character outside the alphabet, padding anywhere but at the end, or a
 * length that is not a multiple of 4.
 */
export function decodeBase64(text: string): Uint8Array {
  const length = text.length;
  if (length % 4 !== 0) throw new Error(`base64 length ${length} is not a multiple of 4`);
  const padding = length === 0 ? 0 : text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((length / 4) * 3 - padding);
  const bad = (at: number): Error => new Error(`base64: bad character at ${at}`);
  // Every group but a padded last one holds three whole bytes.
  const whole = padding === 0 ? length : length - 4;
  let o = 0;
  for (let i = 0; i < whole; i += 4) {
    const a = DIGITS[text.charCodeAt(i)] ?? -1;
    const b = DIGITS[text.charCodeAt(i + 1)] ?? -1;
    const c = DIGITS[text.charCodeAt(i + 2)] ?? -1;
    const d = DIGITS[text.charCodeAt(i + 3)] ?? -1;
    if ((a | b | c | d) < 0) {
      const at = [a, b, c, d].findIndex((digit) => digit < 0);
      throw bad(i + at);
    }
    const triple = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = triple >> 16;
    out[o++] = (triple >> 8) & 255;
    out[o++] = triple & 255;
  }
  if (padding > 0) {
    const i = length - 4;
    const digits = [0, 1, 2, 3].map((k) => (k >= 4 - padding ? 0 : (DIGITS[text.charCodeAt(i + k)] ?? -1)));
    const at = digits.findIndex((digit) => digit < 0);
    if (at >= 0) throw bad(i + at);
    const triple = (digits[0]! << 18) | (digits[1]! << 12) | (digits[2]! << 6) | digits[3]!;
    out[o++] = triple >> 16;
    if (padding === 1) out[o++] = (triple >> 8) & 255;
  }
  return out;
}
