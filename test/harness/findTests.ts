import * as fs from 'fs';
import * as path from 'path';

/** Every compiled test file below `dir`, in a stable order. */
export function findTests(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js'))
    .map((name) => path.join(dir, name))
    .sort();
}
