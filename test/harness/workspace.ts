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

/**
 * Copies into `target` every file of `source` that `target` lacks, and returns their relative paths.
 * A file already there is the user's (perhaps edited, perhaps saved automatically) and is never
 * overwritten; an example added to the repository since the last run still arrives.
 */
export function copyMissingFiles(source: string, target: string): string[] {
  const copied: string[] = [];
  const walk = (relative: string): void => {
    const from = path.join(source, relative);
    const to = path.join(target, relative);
    if (fs.statSync(from).isDirectory()) {
      fs.mkdirSync(to, { recursive: true });
      for (const name of fs.readdirSync(from).sort()) walk(path.join(relative, name));
    } else if (!fs.existsSync(to)) {
      fs.copyFileSync(from, to);
      copied.push(relative.split(path.sep).join('/'));
    }
  };
  fs.mkdirSync(target, { recursive: true });
  if (fs.existsSync(source)) walk('');
  return copied;
}
