import * as fs from 'fs';
import { Browser, chromium } from 'playwright-core';

// Headless Chromium from the system's package: no browser download is ever needed.

export const CHROMIUM = process.env['MMU_LENS_CHROMIUM'] ?? '/usr/bin/chromium';

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
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium) or set MMU_LENS_CHROMIUM`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: CHROMIUM_ARGS,
  });
}
