#!/usr/bin/env node
// Draws the pictures in the docs from the real thing: `npm run pictures` builds, installs the example
// platform, then writes docs/images/example-graph.svg with `floe graph --format svg`, and screenshots the
// console of a real `floe serve` of the example platform in Debian's Chromium (light and dark).
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const root = path.resolve(__dirname, '..');
const floe = path.join(root, 'bin', 'floe.js');
const example = path.join(root, 'examples', 'platform');
const images = path.join(root, 'docs', 'images');

function serve() {
  const child = spawn(process.execPath, [floe, 'serve', '--root', example, '--port', '0'], {
    env: { ...process.env, FLOE_LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /console at (http:\/\/\S+)/.exec(stderr);
      if (match !== null && /plugins? live/.test(stderr)) resolve({ child, url: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`floe serve exited with ${code}: ${stderr}`)));
  });
}

async function main() {
  fs.mkdirSync(images, { recursive: true });
  execFileSync(process.execPath, [
    floe,
    'graph',
    '--root',
    example,
    '--format',
    'svg',
    '--out',
    path.join(images, 'example-graph.svg'),
  ]);
  const { child, url } = await serve();
  const browser = await chromium.launch({
    executablePath: process.env.FLOE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
  try {
    for (const [scheme, file] of [
      ['light', 'console.png'],
      ['dark', 'console-dark.png'],
    ]) {
      const page = await browser.newPage({ viewport: { width: 1100, height: 800 }, colorScheme: scheme });
      await page.goto(url);
      await page.waitForSelector('#graph svg g.node');
      // Health is checked in the background: wait until the table shows it.
      await page.waitForFunction("document.querySelectorAll('#plugin-rows td:nth-child(3) .badge').length > 0");
      await page.screenshot({ path: path.join(images, file), fullPage: true });
      await page.close();
    }
  } finally {
    await browser.close();
    child.kill('SIGTERM');
  }
  process.stdout.write(`wrote ${path.relative(root, images)}/{example-graph.svg,console.png,console-dark.png}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exitCode = 1;
});
