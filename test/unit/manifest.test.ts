import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  main: string;
  bin: Record<string, string>;
  engines: { vscode: string };
  devDependencies: Record<string, string>;
};

describe('the extension manifest', () => {
  it('points main and the mmu-lens bin at bundles the build produces', () => {
    const webpackConfig = fs.readFileSync(path.join(root, 'webpack.config.js'), 'utf8');
    for (const target of [manifest.main, manifest.bin['mmu-lens']]) {
      assert.ok(target, 'entry missing');
      const bundle = path.basename(target, '.js');
      assert.match(
        webpackConfig,
        new RegExp(`nodeBundle\\('${bundle}'`),
        `no webpack entry builds ${target}`,
      );
    }
  });

  it('pins @types/vscode to the lowest VS Code it claims to support', () => {
    assert.strictEqual(`^${manifest.devDependencies['@types/vscode']}`, manifest.engines.vscode);
  });
});
