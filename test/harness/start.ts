import * as fs from 'fs';
import * as path from 'path';
import { startCodeServer } from './codeServer';
import { ensureCodeServer } from './install';
import { cacheDir, examplesDir, repoRoot } from './paths';
import { stopGroupsOnExit } from './processes';

// `npm start`: a real VS Code (code-server) on 127.0.0.1 with the freshly packaged MMU Lens installed
// and the examples folder open, until Ctrl-C. The server's state (settings, open editors) is kept in
// .vscode-test/start between runs; the extension is reinstalled from the new VSIX every time.
//
// Options: --port N (default: a free port), --folder DIR (default: examples/).

async function main(): Promise<void> {
  const { port, folder } = parseArguments(process.argv.slice(2));
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
  console.log(
    `MMU Lens is running in VS Code (code-server) with ${path.relative(repoRoot, folder) || '.'} open:`,
  );
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
  let folder = examplesDir;
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

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
