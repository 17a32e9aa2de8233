import { Browser } from 'playwright-core';
import { RunningServer, updateUserSettings } from './codeServer';
import { repoRoot } from './paths';
import { OpenWorkbenchOptions, Workbench } from './workbench';

// What a UI test (test/ui/**/*.test.ts, mocha in the harness's own Node process) gets from the
// harness: the running code-server, the browser, and a way to open a workbench on a workspace with
// the extension loaded from the repository.

export interface HarnessSession {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** A scratch copy of examples/ (and test/fixtures/ as fixtures/) that tests may change. */
  readonly workspace: string;
  openWorkbench(options?: Partial<OpenWorkbenchOptions>): Promise<Workbench>;
  /**
   * Writes user settings into the server's settings.json (null removes a key). A workbench reads them
   * when it loads; one already running was not seen to follow the file.
   */
  setUserSettings(settings: Record<string, unknown>): void;
}

let current: HarnessSession | undefined;

export function createSession(server: RunningServer, browser: Browser, workspace: string): HarnessSession {
  return {
    server,
    browser,
    workspace,
    openWorkbench: (options = {}) =>
      Workbench.open(browser, server, { folder: workspace, extensionDevelopmentPath: repoRoot, ...options }),
    setUserSettings: (settings) => updateUserSettings(server.userDataDir, settings),
  };
}

export function setSession(session: HarnessSession | undefined): void {
  current = session;
}

/** The harness session; UI tests only run under `npm run test:vscode`, which provides one. */
export function harnessSession(): HarnessSession {
  if (current === undefined) {
    throw new Error('UI tests run under the code-server harness: npm run test:vscode');
  }
  return current;
}
