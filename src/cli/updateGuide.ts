// Development tool: rewrites the generated API section of docs/language-guide.md from the API
// table. Run `npx tsc -p . --outDir out && node out/src/cli/updateGuide.js`.

import * as fs from 'fs';
import * as path from 'path';
import { updateGuideText } from '../scenario/apiReference';

const guidePath = path.resolve(__dirname, '../../../docs/language-guide.md');
const updated = updateGuideText(fs.readFileSync(guidePath, 'utf8'));
if (updated === undefined) {
  process.stderr.write(`${guidePath}: the API table markers are missing\n`);
  process.exitCode = 1;
} else {
  fs.writeFileSync(guidePath, updated);
  process.stdout.write(`updated ${guidePath}\n`);
}
