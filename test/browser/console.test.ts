/// <reference lib="dom" />
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ARTEFACTS, launchChromium } from '../support/browser';
import { floeField, PackageTree, pluginModule } from '../support/package-tree';
import { REPO_ROOT, requireBuild } from '../support/run-node';

/*
 * The console of a real `floe serve`, in headless Chromium: what a person sees, live, and that the page asks
 * nothing of any other address.
 */

const HOSTILE = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>&amp;"'`;

function platform(): PackageTree {
  const tree = PackageTree.create('console');
  tree.linkFloeCore();
  tree.project({});
  const add = (folder: string, type: string, name: string, source: Parameters<typeof pluginModule>[0]) =>
    tree.package(folder, floeField([type, name, `./index.js#${source.className}`]), {
      'index.js': pluginModule(source),
    });
  add('vault', 'floe.secrets', 'vault', { type: 'floe.secrets', name: 'vault', className: 'Vault' });
  // Starts only once the test writes `release` in the project folder.
  add('slow', 'floe.catalogs', 'slow', {
    type: 'floe.catalogs',
    name: 'slow',
    className: 'Slow',
    dependsOn: ['floe.secrets:vault'],
    body: `async startup(signal) {
      const release = require('node:path').join(${JSON.stringify(tree.root)}, 'release');
      while (!require('node:fs').existsSync(release)) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        signal.throwIfAborted();
      }
    }`,
  });
  add('broken', 'floe.storage', 'broken', {
    type: 'floe.storage',
    name: 'broken',
    className: 'Broken',
    body: `startup() { throw new Error('the bucket is gone'); }`,
  });
  add('chatty', 'floe.computes', 'chatty', {
    type: 'floe.computes',
    name: 'chatty',
    className: 'Chatty',
    body: `healthCheck() { return { state: 'degraded', message: ${JSON.stringify(HOSTILE)}, details: {} }; }`,
  });
  return tree;
}

/** Starts `floe serve` on a free port and resolves with the console's address. */
function serve(root: string): Promise<{ child: ChildProcess; origin: string }> {
  const child = spawn(
    process.execPath,
    [path.join(REPO_ROOT, 'bin', 'floe.js'), 'serve', '--root', root, '--port', '0', '--startup-timeout', '60000'],
    { cwd: root, env: { ...process.env, FLOE_LOG_LEVEL: 'error' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /console at (http:\/\/[^\s/]+)\//.exec(stderr);
      if (match !== null) resolve({ child, origin: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`floe serve exited with ${code}: ${stderr}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

/** The text of each cell of the plugins table, by plugin key. */
async function rows(page: Page): Promise<Record<string, string[]>> {
  return page.$$eval('#plugin-rows tr', (trs) =>
    Object.fromEntries(
      trs.map((tr) => [tr.getAttribute('data-key'), [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')]),
    ),
  );
}

describe('the console of floe serve, in Chromium', () => {
  jest.setTimeout(90_000);
  let tree: PackageTree;
  let browser: Browser;
  let server: { child: ChildProcess; origin: string };

  beforeAll(async () => {
    requireBuild();
    fs.mkdirSync(ARTEFACTS, { recursive: true });
    tree = platform();
    browser = await launchChromium();
    server = await serve(tree.root);
  });
  afterAll(async () => {
    if (server !== undefined) await stop(server.child);
    await browser?.close();
    tree?.remove();
  });

  it('shows every plugin, the graph and the timeline live, a failure as failed, and asks nothing elsewhere', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.origin}/`);
    await page.evaluate(() => ((window as unknown as { __loaded: number }).__loaded = 1));

    // While `slow` starts: its row, its graph node and its timeline bar say so.
    await page.waitForFunction(() => document.querySelector('#plugin-rows tr[data-key="floe.catalogs:slow"]') !== null);
    await page.waitForSelector('#graph svg g.node[data-key="floe.catalogs:slow"][data-state="starting"]');
    expect((await rows(page))['floe.catalogs:slow'][1]).toBe('starting');
    expect(await page.textContent('#timeline-caption')).toMatch(/^Starting for \d+ ms/);
    expect(await page.textContent('#timeline-rows .row[data-key="floe.catalogs:slow"] .bar')).toMatch(
      /^starting, \d+ ms$/,
    );
    expect(await page.textContent('#phase')).toBe('starting');
    await page.screenshot({ path: path.join(ARTEFACTS, 'console-starting.png'), fullPage: true });

    // Released: it goes active without a reload.
    fs.writeFileSync(tree.path('release'), '');
    await page.waitForSelector('#graph svg g.node[data-key="floe.catalogs:slow"][data-state="active"]');
    await page.waitForFunction(() => document.getElementById('phase')?.textContent === 'running');
    expect(await page.evaluate(() => (window as unknown as { __loaded?: number }).__loaded)).toBe(1);
    const table = await rows(page);
    expect(Object.keys(table).sort()).toEqual([
      'floe.catalogs:slow',
      'floe.computes:chatty',
      'floe.secrets:vault',
      'floe.storage:broken',
    ]);
    expect(table['floe.catalogs:slow'][1]).toBe('active');
    expect(table['floe.secrets:vault'][1]).toBe('active');
    // The failed plugin: its state, its reason and its error, in the table and in the graph.
    expect(table['floe.storage:broken'][1]).toContain('failed');
    expect(table['floe.storage:broken'][1]).toContain('PLUGIN_STARTUP_FAILED');
    expect(table['floe.storage:broken'][1]).toContain('the bucket is gone');
    expect(await page.getAttribute('#graph svg g.node[data-key="floe.storage:broken"]', 'class')).toBe(
      'node state-failed',
    );
    expect(await page.textContent('#graph svg g.node[data-key="floe.storage:broken"] text.state')).toBe('failed');
    // The graph: every plugin, and the edge slow -> vault.
    expect(await page.$$eval('#graph svg g.node', (nodes) => nodes.length)).toBe(4);
    expect(
      await page.$$('#graph svg path.edge[data-from="floe.catalogs:slow"][data-to="floe.secrets:vault"]'),
    ).toHaveLength(1);
    // The timeline of the finished startup, its critical path marked in text as well as in style.
    await page.waitForFunction(() => document.getElementById('timeline-caption')?.textContent?.startsWith('Took'));
    expect(await page.textContent('#timeline-caption')).toContain(
      'critical path: floe.secrets:vault → floe.catalogs:slow',
    );
    expect(
      await page.$$eval('#timeline-rows .row.critical .label', (labels) => labels.map((l) => l.textContent)),
    ).toEqual(['▶ floe.secrets:vault', '▶ floe.catalogs:slow']);
    expect(await page.textContent('#timeline-rows .row[data-key="floe.storage:broken"] .bar')).toMatch(
      /^failed after \d+ ms$/,
    );

    // Health, with a hostile message shown as text and run as nothing.
    await page.waitForFunction(
      () => document.querySelector('#plugin-rows tr[data-key="floe.computes:chatty"] td:nth-child(3) .badge') !== null,
    );
    expect((await rows(page))['floe.computes:chatty'][2]).toBe(`degraded${HOSTILE}`);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.$$('main img, main script')).toHaveLength(0);

    await page.screenshot({ path: path.join(ARTEFACTS, 'console-running.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(requests.length).toBeGreaterThan(3);
    expect(requests.filter((url) => !url.startsWith(`${server.origin}/`))).toEqual([]);
    await page.close();
  });

  it('reads on a phone and in dark mode, and can be used with the keyboard', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
    await page.goto(`${server.origin}/`);
    await page.waitForSelector('#graph svg g.node[data-state="active"]');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(13, 17, 23)');
    // Nothing wider than the screen but the regions that scroll themselves.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to the plugins');
    // Every graph node is reachable with Tab, and names its state in its title.
    const focusable = await page.$$eval('#graph svg g.node', (nodes) =>
      nodes.map((node) => [node.getAttribute('tabindex'), node.querySelector('title')?.textContent]),
    );
    expect(focusable).toContainEqual(['0', 'floe.storage:broken: failed']);
    await page.screenshot({ path: path.join(ARTEFACTS, 'console-phone-dark.png'), fullPage: true });
    await page.close();
  });

  it('serves the graph as an SVG document that a browser opens as a picture', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${server.origin}/graph.svg`);
    expect(response?.headers()['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(await page.evaluate(() => document.documentElement.nodeName)).toBe('svg');
    expect(await page.$$('parsererror')).toHaveLength(0);
    expect(await page.$$eval('g.node', (nodes) => nodes.map((node) => node.getAttribute('data-state')).sort())).toEqual(
      ['active', 'active', 'active', 'failed'],
    );
    await page.screenshot({ path: path.join(ARTEFACTS, 'graph.png') });
    await page.close();
  });
});
