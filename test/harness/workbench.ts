import * as fs from 'fs';
import * as path from 'path';
import { Browser, Frame, Page } from 'playwright-core';
import { RunningServer, workbenchUrl } from './codeServer';
import { screenshotsDir } from './paths';

// A VS Code workbench in a browser page, driven as a person would: keys, the command palette,
// the quick-open box. UI tests get one through `openWorkbench` and take screenshots that someone
// then looks at (test-results/screenshots/).

export interface OpenWorkbenchOptions {
  folder: string;
  /** Load the extension from this folder (the repository) instead of relying on an installed VSIX. */
  extensionDevelopmentPath?: string;
  viewport?: { width: number; height: number };
  /**
   * The colour scheme the browser reports to the page (prefers-color-scheme). With the setting
   * `window.autoDetectColorScheme` the workbench takes its theme from it; see `useColorScheme`.
   */
  colorScheme?: 'light' | 'dark';
}

const STEP_TIMEOUT_MS = 60_000;

export class Workbench {
  private constructor(
    readonly page: Page,
    readonly consoleLines: string[],
  ) {}

  static async open(
    browser: Browser,
    server: RunningServer,
    options: OpenWorkbenchOptions,
  ): Promise<Workbench> {
    const page = await browser.newPage({
      viewport: options.viewport ?? { width: 1400, height: 900 },
      colorScheme: options.colorScheme ?? 'light',
    });
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const consoleLines: string[] = [];
    page.on('console', (message) => consoleLines.push(`[${message.type()}] ${message.text()}`));
    const payload =
      options.extensionDevelopmentPath === undefined
        ? {}
        : { extensionDevelopmentPath: options.extensionDevelopmentPath };
    await page.goto(workbenchUrl(server, options.folder, payload));
    const workbench = new Workbench(page, consoleLines);
    Workbench.open_.add(workbench);
    await workbench.waitUntilReady();
    return workbench;
  }

  /** The workbench is usable once its status bar and an explorer with the folder are shown. */
  async waitUntilReady(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible' });
    await this.page.locator('.part.statusbar').waitFor({ state: 'visible' });
    await this.page
      .locator('.explorer-folders-view, .explorer-viewlet')
      .first()
      .waitFor({ state: 'visible' });
  }

  /**
   * F1, the command's title, Enter — as a person runs a command. A workbench that has just loaded
   * may not list an extension's commands yet, and F1 pressed while a webview holds the keyboard may
   * never reach the workbench, so each attempt gives the workbench the focus first.
   */
  async runCommand(title: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.focusWorkbench(attempt > 1);
        await this.page.keyboard.press('F1');
        const input = this.quickInput();
        await input.waitFor({ state: 'visible', timeout: 5_000 });
        await input.fill(`>${title}`, { timeout: 5_000 });
        await this.quickPickRow(title).waitFor({ state: 'visible', timeout: 3_000 });
        await this.chooseQuickPickRow(title);
        return;
      } catch (error) {
        if (attempt === 8) {
          throw error;
        }
        const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
        console.warn(`      (harness: "${title}" not run on attempt ${attempt}: ${reason}; trying again)`);
      }
    }
  }

  /** Opens a file of the workspace through quick open (Ctrl+P), as a person would. */
  async openFile(relativePath: string): Promise<void> {
    await this.focusWorkbench();
    await this.page.keyboard.press('Control+P');
    const input = this.quickInput();
    await input.waitFor({ state: 'visible' });
    await input.fill(relativePath);
    await this.quickPickRow(path.basename(relativePath)).waitFor({ state: 'visible' });
    await this.page.keyboard.press('Enter');
    await this.activeTab(path.basename(relativePath)).waitFor({ state: 'visible' });
  }

  /** Opens the file and sets a breakpoint on its line (Go to Line, then F9), as a person would. */
  async setBreakpoint(relativePath: string, line: number): Promise<void> {
    await this.openFile(relativePath);
    await this.page
      .locator('.tabs-container .tab', { hasText: path.basename(relativePath) })
      .first()
      .click();
    await this.page.keyboard.press('Control+G');
    await this.quickInput().fill(`:${line}`);
    // Enter before Go to Line has read the number is lost: wait for its offer, then for it to close.
    await this.quickPickRow(`go to line ${line}`).waitFor({ state: 'visible' });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await this.page.keyboard.press('F9');
    await this.page.locator('.part.editor .monaco-editor .codicon-debug-breakpoint').first().waitFor();
  }

  /** The quick-input box (command palette, quick open, quick picks of extensions). */
  quickInput() {
    return this.page
      .locator('.quick-input-widget input[type="text"], .quick-input-widget .quick-input-box input')
      .first();
  }

  /** A row of the visible quick pick whose label contains the text. */
  quickPickRow(text: string) {
    return this.page
      .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text })
      .first();
  }

  /**
   * Clicks the row of the visible quick pick whose label is exactly `text`, or else the first row whose
   * label contains it: Enter alone would take whatever the palette ranked first.
   */
  async chooseQuickPickRow(text: string): Promise<void> {
    const rows = this.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', {
      hasText: text,
    });
    await rows.first().waitFor({ state: 'visible' });
    const count = await rows.count();
    for (let index = 0; index < count; index++) {
      const label = await rows
        .nth(index)
        .locator('.label-name')
        .first()
        .innerText()
        .catch(() => '');
      if (label.replace(/\u00a0/g, ' ').trim() === text) {
        await rows.nth(index).click();
        return;
      }
    }
    await rows.first().click();
  }

  activeTab(label: string) {
    return this.page.locator('.tabs-container .tab.active', { hasText: label }).first();
  }

  /** The text of the visible lines of the active editor (Monaco renders only what is on screen). */
  async visibleEditorText(): Promise<string> {
    const lines = this.page.locator(
      '.part.editor .editor-group-container.active .monaco-editor .view-lines .view-line',
    );
    const texts = await lines.allInnerTexts();
    return texts.join('\n').replace(/\u00a0/g, ' ');
  }

  /** Waits until the visible text of the active editor matches, and returns it. */
  async waitForEditorText(pattern: RegExp, timeoutMs = STEP_TIMEOUT_MS): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let text = '';
    while (Date.now() < deadline) {
      text = await this.visibleEditorText();
      if (pattern.test(text)) {
        return text;
      }
      await this.page.waitForTimeout(100);
    }
    throw new Error(`the editor never showed ${pattern}; it shows:\n${text}`);
  }

  /**
   * The content frames of the webviews on screen (panels, sidebar views, previews), optionally only
   * those of one extension. Each webview is an outer frame (`…/webview/browser/pre/index.html`) that
   * holds the document in a child frame; Playwright may keep calling that child `pending-frame`.
   */
  webviewFrames(extensionId?: string): Frame[] {
    return this.page.frames().filter((frame) => {
      const host = frame.parentFrame()?.url() ?? '';
      return (
        host.includes('/webview/browser/pre/index.html') &&
        (extensionId === undefined || host.includes(`extensionId=${encodeURIComponent(extensionId)}`))
      );
    });
  }

  /**
   * Whether a webview's frame is on screen: the workbench may keep the document of a panel it has
   * just hidden for a moment, and a test that clicked in it would change nothing a person sees.
   */
  private static async isShown(frame: Frame): Promise<boolean> {
    for (let at: Frame | null = frame; at !== null && at.parentFrame() !== null; at = at.parentFrame()) {
      const element = await at.frameElement().catch(() => null);
      if (element === null || !(await element.isVisible().catch(() => false))) return false;
    }
    return true;
  }

  /** Waits for a webview on screen whose document has an element matching `selector`; returns its frame. */
  async waitForWebview(
    selector: string,
    options: { extensionId?: string; timeoutMs?: number } = {},
  ): Promise<Frame> {
    const deadline = Date.now() + (options.timeoutMs ?? STEP_TIMEOUT_MS);
    while (Date.now() < deadline) {
      for (const frame of this.webviewFrames(options.extensionId)) {
        const found = await frame
          .locator(selector)
          .count()
          .catch(() => 0);
        if (found > 0 && (await Workbench.isShown(frame))) {
          return frame;
        }
      }
      await this.page.waitForTimeout(200);
    }
    throw new Error(`no webview shows ${selector}`);
  }

  /**
   * Switches the colour theme through "Preferences: Color Theme", as a person would, and checks that
   * the workbench took that very theme: its class names the theme (`Dark Modern` gives
   * `…dark_modern…`). The label is typed only once the theme picker has replaced the command
   * palette (typed earlier, it filters nothing and a click can land on a row that scrolls in, such
   * as Abyss). The picker sometimes closes without applying the theme; then it is opened again.
   * `themeId` is the part of the class that names the theme when it is not the label's own words
   * (the picker's "Dark High Contrast" is the theme file `hc_black`).
   */
  async setColorTheme(label: string, themeId = label.toLowerCase().replace(/\s+/g, '_')): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.runCommand('Preferences: Color Theme');
      await this.page
        .locator('.quick-input-widget input[placeholder*="Color Theme"]')
        .first()
        .waitFor({ state: 'visible' });
      await this.quickInput().fill(label);
      await this.quickPickRow(label).waitFor({ state: 'visible' });
      await this.chooseQuickPickRow(label);
      await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      try {
        await this.waitForThemeClass(themeId, 5_000);
        return;
      } catch (error) {
        if (attempt === 3) throw error;
        console.warn(`      (harness: the theme picker did not apply ${label}; trying again)`);
      }
    }
  }

  /** Waits until the workbench's class names a theme whose id contains `themeId`. */
  private async waitForThemeClass(themeId: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let shown = await this.themeClass();
    while (!shown.includes(themeId) && Date.now() < deadline) {
      await this.page.waitForTimeout(200);
      shown = await this.themeClass();
    }
    if (!shown.includes(themeId))
      throw new Error(`the workbench shows ${shown || 'no theme'}, not ${themeId}`);
  }

  /**
   * Makes the browser lay out and paint the whole page again. After a theme change headless
   * Chromium may keep painting some parts with the old colours although their styles changed.
   */
  async repaint(): Promise<void> {
    const size = this.page.viewportSize() ?? { width: 1400, height: 900 };
    await this.page.setViewportSize({ width: size.width - 1, height: size.height });
    await this.page.waitForTimeout(150);
    await this.page.setViewportSize(size);
    await this.page.waitForTimeout(300);
  }

  /** Saves a screenshot of the whole page as test-results/screenshots/NAME.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    const file = await this.screenshotPath(name);
    await this.dismissHovers();
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Where the screenshot NAME goes: test-results/screenshots/NAME.png (the folder is made). */
  async screenshotPath(name: string): Promise<string> {
    await fs.promises.mkdir(screenshotsDir, { recursive: true });
    return path.join(screenshotsDir, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  }

  /**
   * Moves the pointer off everything and waits for the workbench's hovers (the tooltips of the debug
   * toolbar, of tabs and actions) to go away, so that a screenshot shows only what the test is about.
   */
  async dismissHovers(): Promise<void> {
    await this.page.mouse.move(1, 1);
    const hovers = this.page.locator('.workbench-hover-container, .monaco-hover:not(.hidden)');
    const deadline = Date.now() + 3_000;
    while ((await hovers.count()) > 0 && Date.now() < deadline) {
      await this.page.waitForTimeout(100);
    }
  }

  /** The colour theme kind the workbench shows: it marks it with a class on .monaco-workbench. */
  /** The class names of the workbench's root element. */
  private async workbenchClasses(): Promise<string[]> {
    return ((await this.page.locator('.monaco-workbench').first().getAttribute('class')) ?? '').split(/\s+/);
  }

  /** The workbench's theme class (`vscode-theme-…`, naming the theme's id), or '' while none is applied. */
  async themeClass(): Promise<string> {
    return (await this.workbenchClasses()).find((name) => name.startsWith('vscode-theme-')) ?? '';
  }

  async themeKind(): Promise<'light' | 'dark' | 'hc-light' | 'hc-black' | 'unknown'> {
    const list = await this.workbenchClasses();
    // While it loads, the workbench shows a bare kind class before a theme of its own is applied.
    if (!list.some((name) => name.startsWith('vscode-theme-'))) return 'unknown';
    if (list.includes('hc-light')) return 'hc-light';
    if (list.includes('hc-black')) return 'hc-black';
    if (list.includes('vs-dark')) return 'dark';
    if (list.includes('vs')) return 'light';
    return 'unknown';
  }

  /** Waits until the workbench shows a colour theme of this kind. */
  async waitForThemeKind(kind: 'light' | 'dark', timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let shown = await this.themeKind();
    while (shown !== kind && Date.now() < deadline) {
      await this.page.waitForTimeout(200);
      shown = await this.themeKind();
    }
    if (shown !== kind) {
      throw new Error(`the workbench shows a ${shown} theme, not a ${kind} one`);
    }
  }

  /**
   * Makes the operating system's colour scheme (as the browser reports it) light or dark, and waits
   * until the workbench follows: it does with the user setting `window.autoDetectColorScheme`, set
   * before the workbench loads. A workbench still starting up may miss the change; then the scheme
   * is changed again.
   */
  async useColorScheme(kind: 'light' | 'dark'): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      await this.page.emulateMedia({ colorScheme: kind });
      try {
        await this.waitForThemeKind(kind, 10_000);
        return;
      } catch (error) {
        if (attempt === 3) throw error;
        console.warn(`      (harness: the workbench missed the ${kind} colour scheme; changing it again)`);
        await this.page.emulateMedia({ colorScheme: kind === 'light' ? 'dark' : 'light' });
        await this.page.waitForTimeout(500);
      }
    }
  }

  /**
   * A button of the debug toolbar by its action (codicon `debug-step-back`, `debug-step-over`, …),
   * once the toolbar enables it: it disables its buttons while the session runs.
   */
  async clickDebugAction(codicon: string): Promise<void> {
    const button = this.page.locator(
      `.debug-toolbar .action-item:not(.disabled) .action-label.codicon-${codicon}:not(.disabled)`,
    );
    await button.waitFor({ state: 'visible' });
    await button.click();
  }

  async close(): Promise<void> {
    Workbench.open_.delete(this);
    await this.page.close();
  }

  /** Workbenches not yet closed; the harness photographs them when a UI test fails. */
  private static readonly open_ = new Set<Workbench>();

  static async screenshotAll(name: string): Promise<string[]> {
    const files: string[] = [];
    let index = 0;
    for (const workbench of Workbench.open_) {
      files.push(await workbench.screenshot(`${name}${index++ === 0 ? '' : `-${index}`}`).catch(() => ''));
    }
    return files.filter((file) => file !== '');
  }

  /**
   * Gives the keyboard back to the workbench. Escape closes whatever quick input or hover is open. A
   * page that has never been clicked may not deliver keys to the workbench, and keys typed into a
   * webview stay inside it: then a click on the empty middle of the status bar takes the focus back.
   */
  async focusWorkbench(click = false): Promise<void> {
    if (!this.clicked) {
      await this.page.locator('.part.editor').click({ position: { x: 40, y: 40 } });
      this.clicked = true;
    } else if (click || (await this.webviewHasFocus())) {
      const bar = this.page.locator('.part.statusbar');
      const box = await bar.boundingBox();
      await bar.click({ position: { x: (box?.width ?? 800) / 2, y: 4 } });
    }
    await this.page.keyboard.press('Escape');
  }

  /** True when the keyboard is inside one of the webviews' frames. */
  private async webviewHasFocus(): Promise<boolean> {
    // A string, evaluated in the page: the harness is compiled without the DOM's types.
    return this.page.evaluate<boolean>("document.activeElement?.tagName === 'IFRAME'").catch(() => false);
  }

  private clicked = false;
}
