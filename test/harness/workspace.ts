import * as fs from 'fs';
import * as path from 'path';
import { examplesDir, repoRoot } from './paths';

/** A scratch workspace the tests may change: the examples, and test/fixtures/ under fixtures/. */
export function makeTestWorkspace(dir: string): string {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  if (fs.existsSync(examplesDir)) {
    fs.cpSync(examplesDir, dir, { recursive: true });
  }
  const fixtures = path.join(repoRoot, 'test', 'fixtures');
  if (fs.existsSync(fixtures)) {
    fs.cpSync(fixtures, path.join(dir, 'fixtures'), { recursive: true });
  }
  return dir;
}
