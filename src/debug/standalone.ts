// The standalone debug adapter: the MMU Lens session over stdin/stdout, for any DAP client
// (`node dist/debugAdapter.js`).
import { promises as fs } from 'fs';
import { MmuDebugSession } from './MmuDebugSession';

const session = new MmuDebugSession({ readFile: (file) => fs.readFile(file, 'utf8') });
process.on('SIGTERM', () => session.shutdown());
session.start(process.stdin, process.stdout);
