import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  assertCanInstallCodeServer,
  INSTALL_LINE,
  missingPrerequisites,
  missingPrerequisitesMessage,
  SystemProbes,
} from '../harness/prerequisites';
import { copyMissingFiles } from '../harness/workspace';

/** A system with exactly these commands on PATH and these files on disk. */
function system(commands: string[], files: string[] = []): SystemProbes {
  return { commandExists: (name) => commands.includes(name), fileExists: (file) => files.includes(file) };
}

const EVERYTHING = system(['g++', 'make', 'python3', 'krb5-config']);

describe('npm start: the prerequisites of installing code-server', () => {
  it('finds nothing missing on a system with the compiler, make, python3 and Kerberos', () => {
    assert.deepStrictEqual(missingPrerequisites(EVERYTHING), []);
    assert.deepStrictEqual(
      missingPrerequisites(system(['c++', 'make', 'python3'], ['/usr/include/krb5.h'])),
      [],
    );
    assert.deepStrictEqual(
      missingPrerequisites(system(['clang++', 'make', 'python3'], ['/usr/local/include/gssapi/gssapi.h'])),
      [],
    );
  });

  it('names the Kerberos headers when only libkrb5-dev is missing', () => {
    const missing = missingPrerequisites(system(['g++', 'make', 'python3']));
    assert.deepStrictEqual(
      missing.map((p) => p.debianPackage),
      ['libkrb5-dev'],
    );
    const message = missingPrerequisitesMessage(missing);
    assert.match(message, /Kerberos headers/);
    assert.match(message, /sudo apt-get install build-essential python3 libkrb5-dev/);
    assert.doesNotMatch(message, /make\b.*Debian/);
  });

  it('names each missing thing on a bare system, with one line that installs them all', () => {
    const missing = missingPrerequisites(system([]));
    assert.deepStrictEqual(
      missing.map((p) => p.what),
      [
        'a C++ compiler (g++ or c++)',
        'make',
        'python3 (for node-gyp)',
        'the Kerberos headers (krb5.h, gssapi/gssapi.h)',
      ],
    );
    assert.strictEqual(INSTALL_LINE, 'sudo apt-get install build-essential python3 libkrb5-dev');
    const message = missingPrerequisitesMessage(missing);
    for (const prerequisite of missing) assert.ok(message.includes(prerequisite.what), prerequisite.what);
    assert.ok(message.includes(`    ${INSTALL_LINE}`));
  });

  it('stops with the message before installing, and checks nothing once code-server is installed', () => {
    const bare = system([]);
    assert.throws(
      () => assertCanInstallCodeServer(bare, false),
      /this system lacks[\s\S]*sudo apt-get install/,
    );
    assert.doesNotThrow(() => assertCanInstallCodeServer(bare, true));
    assert.doesNotThrow(() => assertCanInstallCodeServer(EVERYTHING, false));
  });
});

describe('npm start: the scratch copy of the examples', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mmu-lens-scratch-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('copies the examples on the first run, and on later runs only the ones it lacks', () => {
    const source = path.join(root, 'examples');
    const target = path.join(root, 'workspace');
    fs.mkdirSync(path.join(source, 'more'), { recursive: true });
    fs.writeFileSync(path.join(source, 'a.mmu'), 'original a\n');
    fs.writeFileSync(path.join(source, 'more', 'b.mmu'), 'original b\n');
    assert.deepStrictEqual(copyMissingFiles(source, target), ['a.mmu', 'more/b.mmu']);

    // The user edits a.mmu and deletes nothing; the repository gains c.mmu.
    fs.writeFileSync(path.join(target, 'a.mmu'), 'my experiment\n');
    fs.writeFileSync(path.join(source, 'c.mmu'), 'new example\n');
    assert.deepStrictEqual(copyMissingFiles(source, target), ['c.mmu']);
    assert.strictEqual(fs.readFileSync(path.join(target, 'a.mmu'), 'utf8'), 'my experiment\n');
    assert.strictEqual(fs.readFileSync(path.join(source, 'a.mmu'), 'utf8'), 'original a\n');
    assert.strictEqual(fs.readFileSync(path.join(target, 'c.mmu'), 'utf8'), 'new example\n');
    assert.deepStrictEqual(copyMissingFiles(source, target), []);
  });
});
