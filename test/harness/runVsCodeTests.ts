import * as fs from 'fs';
import Mocha from 'mocha';
import * as path from 'path';
import * as util from 'util';
import { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { RunningServer, startCodeServer, workbenchUrl } from './codeServer';
import { ensureCodeServer } from './install';
import { cacheDir, extensionTestsDir, repoRoot, resultsDir, screenshotsDir } from './paths';
import { stopGroupsOnExit, withTimeout } from './processes';
import { createSession, setSession } from './session';
import { Workbench } from './workbench';
import { makeTestWorkspace } from './workspace';
import { EXTENSION_ID } from '../../src/extension/ids';
import { SUITE_FINISHED, SUITE_STARTED } from '../suite/markers';
import { findTests } from './findTests';

// `npm run test:vscode`: the extension-host suite (test/suite) inside a real VS Code — code-server
// driven by headless Chromium — then the UI tests (test/ui), which drive that VS Code through the
// page as a person would. Everything is time-limited, and the server is always stopped.
//
// Options: --only suite|ui, --grep PATTERN (both phases; also MMU_LENS_TEST_GREP).

const SUITE_TIMEOUT_MS = 10 * 60 * 1000;
const UI_TIMEOUT_MS = 10 * 60 * 1000;
const TOTAL_TIMEOUT_MS = 30 * 60 * 1000;

interface Options {
  phases: Set<'suite' | 'ui'>;
  grep: string | undefined;
}

async function main(): Promise<number> {
  const options = parseArguments(process.argv.slice(2));
  const install = await ensureCodeServer();
  const stateDir = path.join(cacheDir, 'runs', 'test');
  fs.rmSync(stateDir, { recursive: true, force: true });
  fs.rmSync(screenshotsDir, { recursive: true, force: true });
  fs.mkdirSync(resultsDir, { recursive: true });
  const suiteWorkspace = makeTestWorkspace(path.join(stateDir, 'workspace-suite'));
  const uiWorkspace = makeTestWorkspace(path.join(stateDir, 'workspace-ui'));
  const serverLog = path.join(resultsDir, 'code-server.log');
  fs.rmSync(serverLog, { force: true });

  const started = Date.now();
  const server = await startCodeServer({
    install,
    stateDir,
    workspace: suiteWorkspace,
    fresh: false,
    logFile: serverLog,
    // Folding controls visible without hovering, so that a screenshot and a test can see them.
    settings: { 'editor.showFoldingControls': 'always' },
    env: options.grep === undefined ? {} : { MMU_LENS_TEST_GREP: options.grep },
  });
  stopServer = () => server.stop();
  const stopOnSignal = stopGroupsOnExit(stopServer);
  let browser: Browser | undefined;
  try {
    console.log(`code-server ${server.origin} ready in ${Date.now() - started} ms (log: ${serverLog})`);
    browser = await launchChromium();
    let failed = false;
    if (options.phases.has('suite')) {
      const code = await withTimeout(
        runExtensionHostSuite(browser, server, suiteWorkspace),
        SUITE_TIMEOUT_MS,
        'the extension-host suite',
      );
      console.log(`extension-host suite: ${code === 0 ? 'passed' : 'FAILED'}`);
      failed ||= code !== 0;
    }
    if (options.phases.has('ui')) {
      setSession(createSession(server, browser, uiWorkspace));
      const failures = await withTimeout(runUiTests(options.grep), UI_TIMEOUT_MS, 'the UI tests');
      console.log(
        `UI tests: ${failures === 0 ? 'passed' : `${failures} FAILED`} (screenshots: ${screenshotsDir})`,
      );
      failed ||= failures !== 0;
    }
    return failed ? 1 : 0;
  } finally {
    setSession(undefined);
    await browser?.close().catch(() => undefined);
    await server.stop();
    stopOnSignal.dispose();
  }
}

/**
 * Loads the workbench with the smoke-test payload: the extension from the repository and the compiled
 * suite as extension tests. The workbench reports mocha's output through `codeAutomationLog` and its
 * result (0 passed, 1 failed) through `codeAutomationExit`.
 */
async function runExtensionHostSuite(
  browser: Browser,
  server: RunningServer,
  workspace: string,
): Promise<number> {
  if (!fs.existsSync(path.join(extensionTestsDir, 'index.js'))) {
    throw new Error(`${extensionTestsDir}/index.js is missing: run npm run compile first`);
  }
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  try {
    let finish: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) =>
      printAutomationLog(type, args),
    );
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
    const url = workbenchUrl(server, workspace, {
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: extensionTestsDir,
    });
    await page.goto(url);
    const code = await exitCode;
    await page
      .screenshot({ path: path.join(resultsDir, 'extension-host-suite-end.png') })
      .catch(() => undefined);
    return code;
  } finally {
    await page.close().catch(() => undefined);
  }
}

/**
 * Mocha's lines (between the suite's start and end markers) go to the terminal; of the workbench's own
 * log only what concerns this extension does. Everything is kept in test-results/workbench.log.
 */
function printAutomationLog(type: string, args: unknown[]): void {
  const text = util.format(...args);
  fs.appendFileSync(path.join(resultsDir, 'workbench.log'), `[${type}] ${text}\n`);
  if (text.includes(SUITE_STARTED)) {
    insideSuite = true;
    return;
  }
  if (text.includes(SUITE_FINISHED)) {
    insideSuite = false;
    return;
  }
  if (isNoise(text)) {
    return;
  }
  if (insideSuite && !isWorkbenchLine(text)) {
    console.log(text);
  } else if (concernsExtension(text)) {
    console.error(`[workbench ${type}] ${text.split('\n')[0] ?? ''}`);
  }
}

let insideSuite = false;

/** Lines the offline workbench always logs, which say nothing about the extension. */
function isNoise(text: string): boolean {
  return /open-vsx|ENOTFOUND|vsda|authentication provider|getaddrinfo|\[lifecycle\]/i.test(text);
}

/** Workbench messages that may arrive while mocha runs; they go to the log, not between mocha's lines. */
function isWorkbenchLine(text: string): boolean {
  return /^(Request to '|\[[A-Za-z][\w.:-]*\] |Creating a socket|Resolv|Unable to load)/.test(text);
}

function concernsExtension(text: string): boolean {
  return (
    text.includes(EXTENSION_ID) || text.includes(repoRoot) || text.includes(encodeURIComponent(repoRoot))
  );
}

async function runUiTests(grep: string | undefined): Promise<number> {
  const uiDir = path.join(repoRoot, 'out', 'test', 'ui');
  const files = fs.existsSync(uiDir) ? findTests(uiDir) : [];
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, color: true, reporter: 'spec' });
  if (grep !== undefined) {
    mocha.grep(grep);
  }
  files.forEach((file) => mocha.addFile(file));
  // A failed UI test leaves a picture of every open workbench behind, named after the test.
  mocha.suite.afterEach(async function () {
    if (this.currentTest?.state === 'failed') {
      const shots = await Workbench.screenshotAll(`FAILED ${this.currentTest.fullTitle()}`);
      shots.forEach((file) => console.error(`      screenshot: ${file}`));
    }
  });
  return new Promise((resolve) => mocha.run((failures) => resolve(failures)));
}

function parseArguments(argv: readonly string[]): Options {
  const options: Options = { phases: new Set(['suite', 'ui']), grep: process.env['MMU_LENS_TEST_GREP'] };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--only') {
      const phase = argv[++index];
      if (phase !== 'suite' && phase !== 'ui') {
        throw new Error('--only takes suite or ui');
      }
      options.phases = new Set([phase]);
    } else if (argument === '--grep') {
      options.grep = argv[++index];
    } else {
      throw new Error(`unknown argument ${argument}; use --only suite|ui, --grep PATTERN`);
    }
  }
  return options;
}

/** Set while a server runs, so that the watchdog can stop it before giving up. */
let stopServer: (() => Promise<void>) | undefined;

const watchdog = setTimeout(() => {
  console.error(`test:vscode took longer than ${TOTAL_TIMEOUT_MS / 60000} min; giving up`);
  void (stopServer?.() ?? Promise.resolve()).finally(() => process.exit(1));
}, TOTAL_TIMEOUT_MS);
watchdog.unref();

main().then(
  (code) => {
    process.exitCode = code;
    // Playwright and mocha may leave handles open; the result is known, so leave.
    setTimeout(() => process.exit(code), 200).unref();
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
