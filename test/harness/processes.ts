import { ChildProcess, spawn, SpawnOptions } from 'child_process';
import * as fs from 'fs';

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Output goes to this file instead of the terminal, so an install stays quiet unless it fails. */
  logFile: string;
  timeoutMs: number;
  /**
   * Says every `everyMs` that the command still runs, with the last line of its log, so that a long
   * install is never minutes of silence.
   */
  progress?: { label: string; everyMs: number; report: (line: string) => void };
}

/** Runs a command to completion; rejects with the log's tail when it fails or outlives its time. */
export function runLogged(command: string, args: readonly string[], options: RunOptions): Promise<void> {
  const log = fs.openSync(options.logFile, 'a');
  fs.writeSync(log, `\n$ ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', log, log],
    detached: true,
  });
  const started = Date.now();
  const progress = options.progress;
  const heartbeat =
    progress === undefined
      ? undefined
      : setInterval(() => {
          const last = lastLine(options.logFile);
          progress.report(
            `  … ${progress.label}: ${elapsed(Date.now() - started)}${last === '' ? '' : `; last: ${last}`}`,
          );
        }, progress.everyMs);
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(
        new Error(`${command} took longer than ${options.timeoutMs / 1000} s\n${tail(options.logFile)}`),
      );
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      clearInterval(heartbeat);
      fs.closeSync(log);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      clearInterval(heartbeat);
      fs.closeSync(log);
      if (code === 0) {
        resolve();
      } else {
        reject(
          new Error(`${command} ${args.join(' ')} failed (${signal ?? code})\n${tail(options.logFile)}`),
        );
      }
    });
  });
}

/** Starts a long-lived process in its own process group, so that stopping it stops its helpers too. */
export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  return spawn(command, args, { ...options, detached: true });
}

/** Signals a whole process group; a process that already ended is no error. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) {
    return;
  }
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Ends a process group: TERM first, KILL for whatever is still there after the grace period. */
export async function stopGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    killGroup(child, 'SIGKILL');
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), delay(graceMs).then(() => true)]);
  // Helpers of the group may outlive the leader (file watchers, the extension host): always sweep.
  killGroup(child, 'SIGKILL');
  if (timedOut) {
    await Promise.race([exited, delay(1000)]);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects when the promise does not settle in time; the message names what was being waited for. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Runs `stop` when the harness is interrupted (Ctrl-C, TERM) and then exits, so that no server
 * outlives the run; the returned handle removes the handlers once the run stopped the server itself.
 */
export function stopGroupsOnExit(stop: () => Promise<void>): { dispose(): void } {
  const onSignal = (signal: NodeJS.Signals) => {
    void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** "45 s", "2 min 5 s". */
export function elapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

/** The last non-empty line of a log, cut to fit a terminal line. */
function lastLine(file: string): string {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r');
    const buffer = Buffer.alloc(Math.min(size, 4096));
    fs.readSync(fd, buffer, 0, buffer.length, size - buffer.length);
    fs.closeSync(fd);
    text = buffer.toString('utf8');
  } catch {
    return '';
  }
  const line =
    text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '')
      .pop() ?? '';
  return line.length <= 100 ? line : `${line.slice(0, 99)}…`;
}
