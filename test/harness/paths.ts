import * as path from 'path';

// Every folder the harness uses, derived from the repository root. The compiled harness lives in
// out/test/harness, so the root is three levels up from it at run time.
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** Ignored cache of downloaded tools (Node 24, code-server); survives between runs. */
export const cacheDir = path.join(repoRoot, '.vscode-test');

/** Everything a test run writes that a person may want to look at afterwards. */
export const resultsDir = path.join(repoRoot, 'test-results');
export const screenshotsDir = path.join(resultsDir, 'screenshots');

export const examplesDir = path.join(repoRoot, 'examples');

/**
 * The workspace `npm start` opens: a copy of the examples that is the user's to change. It lives in
 * the ignored cache folder, so experiments survive restarts without landing in the repository.
 */
export const scratchWorkspaceDir = path.join(cacheDir, 'workspace');

/** The compiled extension-host suite (`test/suite/index.ts` exporting `run`). */
export const extensionTestsDir = path.join(repoRoot, 'out', 'test', 'suite');

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

export const nodeDir = path.join(cacheDir, `node-${NODE_VERSION}`);
export const nodeBinary = path.join(nodeDir, 'bin', 'node');
export const codeServerDir = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
export const codeServerEntry = path.join(
  codeServerDir,
  'node_modules',
  'code-server',
  'out',
  'node',
  'entry.js',
);

/** Written last by each install step, so that a half-finished install is redone, never trusted. */
export const COMPLETE_MARKER = '.install-complete';
