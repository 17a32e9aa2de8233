import * as fs from 'fs';
import { Browser, chromium } from 'playwright-core';

// Headless Chromium from the system's package: no browser download is ever needed.

/** The Chromium binary: MMU_LENS_CHROMIUM, else Debian's. Read when asked, so a caller may set it late. */
export function chromiumPath(): string {
  return process.env['MMU_LENS_CHROMIUM'] || '/usr/bin/chromium';
}

/** Why no Chromium can be started here (a sentence naming the path and the remedy), or undefined. */
export function chromiumMissing(): string | undefined {
  const binary = chromiumPath();
  let usable = false;
  try {
    fs.accessSync(binary, fs.constants.X_OK);
    usable = fs.statSync(binary).isFile();
  } catch {
    usable = false;
  }
  if (usable) return undefined;
  return (
    `Chromium not found at ${binary} (set MMU_LENS_CHROMIUM to a Chromium binary, ` +
    "or install Debian's: apt-get install -y chromium)"
  );
}

/** Flags for a headless Chromium that never reaches the network on its own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launchChromium(): Promise<Browser> {
  const missing = chromiumMissing();
  if (missing !== undefined) throw new Error(missing);
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    timeout: 60_000,
    args: CHROMIUM_ARGS,
  });
}
