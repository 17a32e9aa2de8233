// Base64 for the frame map, written out so that the extension host (Node) and the webview (browser)
// share one fast implementation without Buffer or atob.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const triple = (a << 16) | (b << 8) | c;
    chunk +=
      ALPHABET.charAt(triple >> 18) +
      ALPHABET.charAt((triple >> 12) & 63) +
      (i + 1 < bytes.length ? ALPHABET.charAt((triple >> 6) & 63) : '=') +
      (i + 2 < bytes.length ? ALPHABET.charAt(triple & 63) : '=');
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  return parts.join('');
}

/** Decodes base64; throws on a character outside the alphabet or a length that is not a multiple of 4. */
export function decodeBase64(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error(`base64 length ${text.length} is not a multiple of 4`);
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let triple = 0;
    for (let j = 0; j < 4; j++) {
      const code = text.charCodeAt(i + j);
      const digit = code === 61 ? 0 : (DECODE[code] ?? -1);
      if (digit < 0) throw new Error(`base64: bad character at ${i + j}`);
      triple = (triple << 6) | digit;
    }
    if (o < out.length) out[o++] = triple >> 16;
    if (o < out.length) out[o++] = (triple >> 8) & 255;
    if (o < out.length) out[o++] = triple & 255;
  }
  return out;
}
