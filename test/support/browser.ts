import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { REPO_ROOT } from './run-node';

/** Where browser tests save their screenshots (a CI artefact; not committed). */
export const ARTEFACTS = path.join(REPO_ROOT, 'test-results');

/**
 * Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it when missing), or the browser that
 * FLOE_CHROMIUM names. Nothing downloads a browser.
 */
export function chromiumPath(): string {
  const candidates = [process.env.FLOE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((file) => file !== undefined && file !== '' && fs.existsSync(file));
  if (found === undefined) {
    throw new Error(
      'No Chromium for the browser tests: install it (apt-get install -y chromium) or set FLOE_CHROMIUM to its path.',
    );
  }
  return found;
}

/** Headless Chromium with what a closed network needs: no background connections of its own. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
