import { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import { CodeServerInstall } from './install';
import { delay, spawnGroup, stopGroup } from './processes';

// One code-server on 127.0.0.1 with everything it writes kept in a folder of its own: user data,
// extensions, and the XDG folders (without them code-server writes into the home directory).

export interface ServerOptions {
  install: CodeServerInstall;
  /** The folder holding this server's state; created, and emptied first when `fresh`. */
  stateDir: string;
  /** Listen on this port; a free one when absent. */
  port?: number;
  /** VSIX files to install into the server's extensions folder before it starts. */
  extensions?: readonly string[];
  /** The folder opened when a browser visits the plain URL. */
  workspace: string;
  fresh: boolean;
  /** Extra user settings on top of the quiet defaults. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server and, through it, the extension host. */
  env?: NodeJS.ProcessEnv;
  /** Where the server's own output goes. */
  logFile: string;
}

export interface RunningServer {
  readonly port: number;
  readonly origin: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly workspace: string;
  /** Installs a VSIX into this server's extensions folder; the next page load picks it up. */
  installExtension(vsix: string): Promise<string>;
  /** Settles when the server process ends, by itself or through `stop`. */
  readonly exited: Promise<string>;
  stop(): Promise<void>;
}

/** Settings that keep the workbench quiet and offline. */
export const quietSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

const HEALTH_TIMEOUT_MS = 60_000;

export async function startCodeServer(options: ServerOptions): Promise<RunningServer> {
  const dirs = prepareStateDir(options);
  const port = options.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
  };
  // The password variable of code-server must not leak in from the caller's environment.
  delete env['PASSWORD'];
  delete env['HASHED_PASSWORD'];
  for (const vsix of options.extensions ?? []) {
    await installExtension(options.install, dirs.userData, dirs.extensions, env, vsix);
  }
  const log = fs.openSync(options.logFile, 'a');
  const server = spawnGroup(
    options.install.node,
    [
      options.install.entry,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir',
      dirs.userData,
      '--extensions-dir',
      dirs.extensions,
      '--vscode-option',
      'enable-smoke-test-driver',
      options.workspace,
    ],
    { cwd: options.stateDir, env, stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  const exited = new Promise<string>((resolve) =>
    server.once('exit', (code, signal) => resolve(signal ?? `exit code ${code ?? '?'}`)),
  );
  const origin = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(server, origin, options.logFile);
  } catch (error) {
    await stopGroup(server);
    throw error;
  }
  return {
    port,
    origin,
    userDataDir: dirs.userData,
    extensionsDir: dirs.extensions,
    workspace: options.workspace,
    exited,
    installExtension: (vsix) => installExtension(options.install, dirs.userData, dirs.extensions, env, vsix),
    stop: () => stopGroup(server),
  };
}

interface StateDirs {
  userData: string;
  extensions: string;
  config: string;
  data: string;
  cache: string;
}

function prepareStateDir(options: ServerOptions): StateDirs {
  if (options.fresh) {
    fs.rmSync(options.stateDir, { recursive: true, force: true });
  }
  const dirs: StateDirs = {
    userData: path.join(options.stateDir, 'user-data'),
    extensions: path.join(options.stateDir, 'extensions'),
    config: path.join(options.stateDir, 'xdg', 'config'),
    data: path.join(options.stateDir, 'xdg', 'data'),
    cache: path.join(options.stateDir, 'xdg', 'cache'),
  };
  for (const dir of Object.values(dirs)) {
    fs.mkdirSync(dir, { recursive: true });
  }
  seedSettings(path.join(dirs.userData, 'User', 'settings.json'), options.settings ?? {});
  return dirs;
}

/** Keeps what a person set in an earlier run and puts the harness's own keys on top. */
function seedSettings(file: string, extra: Record<string, unknown>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let existing: Record<string, unknown> = {};
  if (fs.existsSync(file)) {
    try {
      existing = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      // A settings file with comments is left as the person wrote it.
      return;
    }
  }
  fs.writeFileSync(file, `${JSON.stringify({ ...existing, ...quietSettings, ...extra }, null, 2)}\n`);
}

/** Puts keys into (or, with a null value, takes them out of) the user settings of a user-data folder. */
export function updateUserSettings(userDataDir: string, changes: Record<string, unknown>): void {
  const file = path.join(userDataDir, 'User', 'settings.json');
  const settings = fs.existsSync(file)
    ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>)
    : {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete settings[key];
    else settings[key] = value;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
}

/** Installs a VSIX into the given user-data and extensions folders, as `code-server --install-extension`. */
export function installExtension(
  install: CodeServerInstall,
  userDataDir: string,
  extensionsDir: string,
  env: NodeJS.ProcessEnv,
  vsix: string,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const child = spawnGroup(
      install.node,
      [
        install.entry,
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        extensionsDir,
        '--install-extension',
        vsix,
        '--force',
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => void stopGroup(child), 120_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve(output);
      } else {
        reject(new Error(`installing ${vsix} failed (${code}):\n${output}`));
      }
    });
  });
}

async function waitForHealth(server: ChildProcess, origin: string, logFile: string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`code-server exited (${server.exitCode ?? server.signalCode}); see ${logFile}`);
    }
    if (await isHealthy(origin)) {
      return;
    }
    await delay(250);
  }
  throw new Error(
    `code-server did not answer ${origin}/healthz within ${HEALTH_TIMEOUT_MS / 1000} s; see ${logFile}`,
  );
}

function isHealthy(origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(`${origin}/healthz`, { timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

/** A port the system just handed out and released; good enough on a machine of our own. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address !== null && typeof address === 'object') {
          resolve(address.port);
        } else {
          reject(new Error('no port'));
        }
      });
    });
  });
}

/**
 * The workbench URL for a folder, with the payload the smoke-test driver honours: load an extension
 * from a development folder and, optionally, run extension tests from a folder of compiled tests.
 */
export function workbenchUrl(
  server: Pick<RunningServer, 'origin' | 'port'>,
  folder: string,
  payload: { extensionDevelopmentPath?: string; extensionTestsPath?: string } = {},
): string {
  const remote = (absolutePath: string) => `vscode-remote://127.0.0.1:${server.port}${absolutePath}`;
  const entries: [string, string][] = [['skipWelcome', 'true']];
  if (payload.extensionDevelopmentPath !== undefined) {
    entries.push(['extensionDevelopmentPath', remote(payload.extensionDevelopmentPath)]);
  }
  if (payload.extensionTestsPath !== undefined) {
    entries.push(['extensionTestsPath', remote(payload.extensionTestsPath)]);
  }
  return `${server.origin}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(entries))}`;
}
