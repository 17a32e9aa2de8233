import * as fs from 'fs';
import * as path from 'path';
import { startCodeServer } from './codeServer';
import { ensureCodeServer } from './install';
import { cacheDir, examplesDir, repoRoot, scratchWorkspaceDir } from './paths';
import { stopGroupsOnExit } from './processes';
import { copyMissingFiles } from './workspace';

// `npm start`: a real VS Code (code-server) on 127.0.0.1 with the freshly packaged MMU Lens installed
// and a scratch copy of the examples open, until Ctrl-C. The server's state (settings, open editors)
// is kept in .vscode-test/start between runs; the extension is reinstalled from the new VSIX every time.
// The copy (.vscode-test/workspace) keeps what the user changed: only files it lacks are copied, so
// the repository's examples/ never receives experiments that VS Code saved automatically.
//
// Options: --port N (default: a free port), --folder DIR (default: the scratch copy; DIR is opened
// as given, not copied).

async function main(): Promise<void> {
  const { port, folder } = parseArguments(process.argv.slice(2));
  if (folder === scratchWorkspaceDir) {
    const copied = copyMissingFiles(examplesDir, scratchWorkspaceDir);
    if (copied.length > 0) console.log(`Copied ${copied.length} example(s) into ${scratchWorkspaceDir}`);
  }
  const vsix = path.join(repoRoot, 'mmu-lens.vsix');
  if (!fs.existsSync(vsix)) {
    throw new Error(`${vsix} is missing: npm start packages it first (npm run package)`);
  }
  fs.mkdirSync(folder, { recursive: true });
  const install = await ensureCodeServer();
  const stateDir = path.join(cacheDir, 'start');
  const logFile = path.join(stateDir, 'code-server.log');
  fs.mkdirSync(stateDir, { recursive: true });
  const server = await startCodeServer({
    install,
    stateDir,
    workspace: folder,
    fresh: false,
    logFile,
    extensions: [vsix],
    ...(port === undefined ? {} : { port }),
  });
  let stopping = false;
  stopGroupsOnExit(async () => {
    stopping = true;
    console.log('\nStopping code-server…');
    await server.stop();
  });
  console.log('');
  console.log(`MMU Lens is running in VS Code (code-server) with ${describeFolder(folder)} open:`);
  console.log('');
  console.log(`    ${server.origin}/?folder=${encodeURI(folder)}`);
  console.log('');
  console.log(`Open that URL in a browser. Server log: ${logFile}. Press Ctrl-C to stop.`);
  const ended = await server.exited;
  if (stopping) {
    return;
  }
  console.error(`code-server stopped by itself (${ended}); see ${logFile}`);
  process.exit(1);
}

function parseArguments(argv: readonly string[]): { port: number | undefined; folder: string } {
  let port: number | undefined;
  let folder = scratchWorkspaceDir;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    const value = argv[index + 1];
    if (argument === '--port' && value !== undefined && /^\d+$/.test(value)) {
      port = Number(value);
      index++;
    } else if (argument === '--folder' && value !== undefined) {
      folder = path.resolve(value);
      index++;
    } else {
      throw new Error(`unknown argument ${argument ?? ''}; use --port N, --folder DIR`);
    }
  }
  return { port, folder };
}

function describeFolder(folder: string): string {
  if (folder === scratchWorkspaceDir) {
    return `your copy of the examples (${path.relative(repoRoot, folder)}; changes there are kept between runs)`;
  }
  return path.relative(repoRoot, folder) || '.';
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
