#!/usr/bin/env node
// The `mmu-lens` command line: wires the commands to the real process (arguments, files, streams).

import * as fs from 'fs';
import { runCli } from './cli';
import { interpreterRunner } from './runner';

const VERSION = '0.1.0';

// A closed pipe (`mmu-lens check f | head`) is not an error of ours: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

process.exitCode = runCli(process.argv.slice(2), {
  readFile: (path) => fs.readFileSync(path, 'utf8'),
  writeFile: (path, text) => fs.writeFileSync(path, text),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  version: VERSION,
  runner: interpreterRunner,
});
