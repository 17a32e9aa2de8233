import * as fs from 'fs';
import * as path from 'path';
import { installedCodeServer } from './install';

// What code-server's install needs from the system, checked before anything is downloaded or built.
// Its postinstall builds native modules with node-gyp (kerberos, node-pty, argon2…): that takes a
// C++ compiler, make and python3, and kerberos includes <gssapi/gssapi.h> and links -lkrb5, which
// come with the Kerberos development package. Without them npm fails minutes later with pages of
// gyp errors; this check names what is missing at once. The probes are injected so that the
// decision is unit-tested without depending on the machine it runs on.

export interface SystemProbes {
  /** Whether an executable of this name is on PATH. */
  commandExists(name: string): boolean;
  fileExists(file: string): boolean;
}

export interface Prerequisite {
  /** What it is, for the message. */
  readonly what: string;
  /** The Debian package that provides it. */
  readonly debianPackage: string;
  present(probes: SystemProbes): boolean;
}

export const PREREQUISITES: readonly Prerequisite[] = [
  {
    what: 'a C++ compiler (g++ or c++)',
    debianPackage: 'build-essential',
    present: (probes) => ['g++', 'c++', 'clang++'].some((name) => probes.commandExists(name)),
  },
  { what: 'make', debianPackage: 'build-essential', present: (probes) => probes.commandExists('make') },
  {
    what: 'python3 (for node-gyp)',
    debianPackage: 'python3',
    present: (probes) => probes.commandExists('python3'),
  },
  {
    what: 'the Kerberos headers (krb5.h, gssapi/gssapi.h)',
    debianPackage: 'libkrb5-dev',
    present: (probes) =>
      probes.commandExists('krb5-config') ||
      ['/usr/include', '/usr/local/include'].some(
        (dir) =>
          probes.fileExists(path.join(dir, 'krb5.h')) ||
          probes.fileExists(path.join(dir, 'gssapi', 'gssapi.h')),
      ),
  },
];

/** The prerequisites the system lacks, in the order of PREREQUISITES. */
export function missingPrerequisites(
  probes: SystemProbes,
  prerequisites: readonly Prerequisite[] = PREREQUISITES,
): Prerequisite[] {
  return prerequisites.filter((prerequisite) => !prerequisite.present(probes));
}

/** The line to run: every package the build needs, so that one command is enough. */
export const INSTALL_LINE = `sudo apt-get install ${[...new Set(PREREQUISITES.map((p) => p.debianPackage))].join(' ')}`;

/** What to tell the user: each missing thing, then the one line that installs them all. */
export function missingPrerequisitesMessage(missing: readonly Prerequisite[]): string {
  return [
    'code-server (the VS Code that npm start and npm run test:vscode use) builds native modules when it',
    'is installed, and this system lacks what that build needs:',
    ...missing.map(
      (prerequisite) => `  - ${prerequisite.what} (Debian package ${prerequisite.debianPackage})`,
    ),
    '',
    'Install them, then run the command again:',
    '',
    `    ${INSTALL_LINE}`,
    '',
    '(Other systems: the same tools under their own package names.)',
  ].join('\n');
}

/** The real system: PATH searched as a shell would, files looked up on disk. */
export const systemProbes: SystemProbes = {
  commandExists: (name) =>
    (process.env['PATH'] ?? '')
      .split(path.delimiter)
      .filter((dir) => dir !== '')
      .some((dir) => {
        try {
          fs.accessSync(path.join(dir, name), fs.constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }),
  fileExists: (file) => fs.existsSync(file),
};

/**
 * Throws the message when code-server still has to be installed and the system cannot build it.
 * An installed code-server needs nothing more, so the check is skipped then.
 */
export function assertCanInstallCodeServer(
  probes: SystemProbes = systemProbes,
  installed: boolean = installedCodeServer() !== undefined,
): void {
  if (installed) return;
  const missing = missingPrerequisites(probes);
  if (missing.length > 0) throw new Error(missingPrerequisitesMessage(missing));
}

// `node out/test/harness/prerequisites.js`: the check alone, which `npm start` runs before it builds.
if (require.main === module) {
  try {
    assertCanInstallCodeServer();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
