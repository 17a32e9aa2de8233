import { runTests } from '@vscode/test-electron';
import * as path from 'path';
import { cacheDir, extensionTestsDir, repoRoot } from '../harness/paths';
import { makeTestWorkspace } from '../harness/workspace';

// `npm run test:electron`: the same extension-host suite (test/suite) in a desktop VS Code that
// @vscode/test-electron downloads from Microsoft's update service — for machines with internet.
// Offline (and in CI) the suite runs through code-server instead: npm run test:vscode.

async function main(): Promise<void> {
  const workspace = makeTestWorkspace(path.join(cacheDir, 'runs', 'electron', 'workspace'));
  const grep = process.env['MMU_LENS_TEST_GREP'];
  await runTests({
    version: process.env['MMU_LENS_VSCODE_VERSION'] ?? 'stable',
    cachePath: cacheDir,
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: extensionTestsDir,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome'],
    ...(grep === undefined ? {} : { extensionTestsEnv: { MMU_LENS_TEST_GREP: grep } }),
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
