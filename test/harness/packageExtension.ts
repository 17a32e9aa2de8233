import * as path from 'path';
import { runLogged } from './processes';
import { repoRoot } from './paths';

// Builds the production bundles and packages them as mmu-lens.vsix, as `npm run test:vscode` does
// before it starts code-server (the same two npm scripts), for a caller that drives VS Code with the
// extension a user would install.

const STEP_TIMEOUT_MS = 5 * 60 * 1000;

/** The path of the fresh VSIX; the scripts' output goes to `logFile`. */
export async function packageExtension(logFile: string): Promise<string> {
  const options = { cwd: repoRoot, logFile, timeoutMs: STEP_TIMEOUT_MS };
  await runLogged('npm', ['run', 'build', '--silent', '--', '--stats', 'errors-warnings'], options);
  await runLogged('npm', ['run', 'package:vsix', '--silent'], options);
  return path.join(repoRoot, 'mmu-lens.vsix');
}
