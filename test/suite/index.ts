import Mocha from 'mocha';
import { SUITE_FINISHED, SUITE_STARTED } from './markers';
import { findTests } from '../harness/findTests';

// The entry point VS Code calls inside the extension host (`extensionTestsPath` points at this
// folder, compiled to out/test/suite): it runs every `*.test.js` beside it with mocha. The same entry
// serves the code-server harness (npm run test:vscode) and @vscode/test-electron (npm run test:electron).
// Add a test by adding `test/suite/<feature>.test.ts`; nothing else needs to change.

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: true, timeout: 60_000, reporter: 'spec' });
  const grep = process.env['MMU_LENS_TEST_GREP'];
  if (grep !== undefined && grep !== '') {
    mocha.grep(grep);
  }
  for (const file of findTests(__dirname)) {
    mocha.addFile(file);
  }
  console.log(SUITE_STARTED);
  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      console.log(SUITE_FINISHED);
      if (failures > 0) {
        reject(new Error(`${failures} extension-host test(s) failed`));
      } else {
        resolve();
      }
    });
  });
}
