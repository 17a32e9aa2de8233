// Runs the webview bundle in headless Chromium the way VS Code would host it: the page comes from the
// same HTML renderer the extension uses (with its content security policy and nonce), served over
// HTTP with the theme variables of a real VS Code theme, and a fake host answering requests.
import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import type { PanelKind } from '../../src/protocol/dto';
import { renderWebviewHtml } from '../../src/extension/panels/webviewHtml';
import { type FakeHostConfig, installFakeHost } from './fakeHost';
import { CHROMIUM_ARGS, chromiumMissing, chromiumPath } from '../harness/browser';

/** The repository root (this file runs from out/test/webview). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
// Apart from the real-VS-Code suite's screenshots, which that suite clears at its start.
export const SCREENSHOTS = path.join(ROOT, 'test-results', 'webview-screenshots');
export type Theme = 'dark' | 'light' | 'hc' | 'hc-light';
const THEMES: readonly string[] = ['dark', 'light', 'hc', 'hc-light'];
/** The classes VS Code gives a webview's body in each theme. */
const BODY_CLASSES: Record<Theme, string> = {
  dark: 'vscode-dark',
  light: 'vscode-light',
  hc: 'vscode-high-contrast',
  'hc-light': 'vscode-high-contrast vscode-high-contrast-light',
};

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.html': 'text/html',
};

let builtMode: string | undefined;

/** Builds dist/webview.js with the project's webpack config (its "webview" entry), once per process. */
export function buildWebviewBundle(mode: 'development' | 'production' = 'development'): void {
  if (builtMode === mode) return;
  builtMode = mode;
  execFileSync(
    process.execPath,
    [require.resolve('webpack-cli/bin/cli.js'), '--config-name', 'webview', '--mode', mode],
    {
      cwd: ROOT,
      stdio: 'pipe',
    },
  );
}

/** Where a request path is read from: the bundle, media, the codicon font, and the theme fixtures. */
function resolveFile(urlPath: string): string | null {
  const routes: [string, string][] = [
    ['/dist/codicons/', path.join(ROOT, 'node_modules', '@vscode', 'codicons', 'dist')],
    ['/dist/', path.join(ROOT, 'dist')],
    ['/media/', path.join(ROOT, 'media')],
    ['/themes/', path.join(ROOT, 'test', 'webview', 'fixtures')],
  ];
  for (const [prefix, directory] of routes) {
    if (!urlPath.startsWith(prefix)) continue;
    const file = path.normalize(path.join(directory, urlPath.slice(prefix.length)));
    return file.startsWith(directory) ? file : null;
  }
  return null;
}

export class WebviewHarness {
  private server: http.Server | undefined;
  private context: BrowserContext | undefined;
  private userDataDir = '';
  origin = '';

  async start(): Promise<void> {
    const missing = chromiumMissing();
    if (missing !== undefined) throw new Error(missing);
    this.server = http.createServer((request, response) => this.serve(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmu-lens-chromium-'));
    this.context = await chromium.launchPersistentContext(this.userDataDir, {
      executablePath: chromiumPath(),
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1200, height: 800 },
    });
  }

  private serve(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', this.origin);
    const page = /^\/page\/(\w+)$/.exec(url.pathname);
    if (page !== null) {
      const requested = url.searchParams.get('theme');
      const theme = THEMES.includes(requested ?? '') ? (requested as Theme) : 'dark';
      const bodyClass = BODY_CLASSES[theme];
      const html = renderWebviewHtml({
        panel: page[1] as PanelKind,
        title: 'MMU Lens test',
        cspSource: this.origin,
        nonce: randomBytes(16).toString('base64'),
        scriptUri: `${this.origin}/dist/webview.js`,
        styleUris: [
          `${this.origin}/themes/theme-${theme}.css`,
          `${this.origin}/dist/codicons/codicon.css`,
          `${this.origin}/media/webview.css`,
        ],
      }).replace('<body ', `<body class="${bodyClass}" `);
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(html);
      return;
    }
    if (url.pathname === '/favicon.ico') {
      response.writeHead(204);
      response.end();
      return;
    }
    const file = resolveFile(url.pathname);
    if (file === null || !fs.existsSync(file)) {
      response.writeHead(404);
      response.end();
      return;
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    });
    fs.createReadStream(file).pipe(response);
  }

  /** Opens a view with the fake host; collects page errors and console errors for the test to check. */
  async open(
    panel: PanelKind,
    theme: Theme,
    config: FakeHostConfig,
    viewport = { width: 1200, height: 800 },
    beforeLoad?: (page: Page) => Promise<void>,
  ): Promise<OpenedView> {
    if (this.context === undefined) throw new Error('harness not started');
    const page = await this.context.newPage();
    await page.setViewportSize(viewport);
    const opened = new OpenedView(page);
    await page.addInitScript(installFakeHost, config);
    await beforeLoad?.(page);
    await page.goto(`${this.origin}/page/${panel}?theme=${theme}`);
    await page.waitForSelector('#app > *');
    return opened;
  }

  async stop(): Promise<void> {
    await this.context?.close();
    await new Promise<void>((resolve) =>
      this.server === undefined ? resolve() : this.server.close(() => resolve()),
    );
    if (this.userDataDir !== '') fs.rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

/** What the test reads of the page's window (the root tsconfig has no DOM library). */
interface PageWindow {
  postMessage(message: unknown, origin: string): void;
  __posted: Record<string, unknown>[];
}

export class OpenedView {
  readonly errors: string[] = [];

  constructor(readonly page: Page) {
    page.on('pageerror', (error) => this.errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(`console: ${message.text()}`);
    });
  }

  /** Delivers a message as VS Code does: a MessageEvent on the window. */
  async send(message: unknown): Promise<void> {
    await this.page.evaluate((m) => (globalThis as unknown as PageWindow).postMessage(m, '*'), message);
    await this.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 30)));
  }

  async posted(): Promise<Record<string, unknown>[]> {
    return this.page.evaluate(() => (globalThis as unknown as PageWindow).__posted);
  }

  async screenshot(name: string): Promise<void> {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await this.page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  async close(): Promise<void> {
    await this.page.close();
  }
}
