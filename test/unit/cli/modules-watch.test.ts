import * as fs from 'node:fs';
import { watchModules } from '../../../src/cli/modules-watch';
import type { PluginRegistry, RefreshReport } from '../../../src';
import { deferred, until } from '../../support/lifecycle-fixtures';
import { PackageTree } from '../../support/package-tree';

const EMPTY: RefreshReport = { ok: true, added: [], removed: [], updated: [], restarted: [], failed: [] };

/** A registry whose refresh the test counts and may hold open. */
function fakeRegistry(report: () => Promise<RefreshReport> = () => Promise.resolve(EMPTY)) {
  const calls: number[] = [];
  const registry = { refresh: () => (calls.push(calls.length + 1), report()) } as unknown as PluginRegistry;
  return { registry, calls };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchModules: refreshes when node_modules changes', () => {
  let tree: PackageTree;
  let stop: () => void = () => undefined;
  beforeEach(() => {
    tree = PackageTree.create('modules-watch');
  });
  afterEach(() => {
    stop();
    tree.remove();
  });

  it('waits for node_modules to appear, then refreshes once per burst of changes', async () => {
    const { registry, calls } = fakeRegistry();
    const said: string[] = [];
    stop = watchModules(tree.root, registry, { out: () => undefined, err: (text) => said.push(text) }, 50);
    // A change in the root that is not node_modules is no reason to scan.
    tree.write('floe.config.yaml', 'plugins: {}\n');
    await sleep(120);
    expect(calls).toEqual([]);
    for (let i = 0; i < 5; i++) tree.write(`node_modules/pkg-${i}/package.json`, '{}');
    await until(() => calls.length === 1, 5_000);
    await sleep(150);
    expect(calls).toEqual([1]);
    expect(said).toEqual([]);
  });

  it('sees packages installed in a scope folder, and runs a refresh missed while one ran once it ends', async () => {
    fs.mkdirSync(tree.path('node_modules'));
    const held = deferred<RefreshReport>();
    let first = true;
    const { registry, calls } = fakeRegistry(() => {
      if (!first) return Promise.resolve({ ...EMPTY, added: ['floe.secrets:vault'] });
      first = false;
      return held.promise;
    });
    const said: string[] = [];
    stop = watchModules(tree.root, registry, { out: () => undefined, err: (text) => said.push(text) }, 30);
    tree.write('node_modules/@acme/lake/package.json', '{}');
    await until(() => calls.length === 1, 5_000);
    // A change inside the scope folder while the first refresh runs.
    tree.write('node_modules/@acme/vault/package.json', '{}');
    await sleep(150);
    expect(calls).toEqual([1]);
    held.resolve(EMPTY);
    await until(() => calls.length === 2, 5_000);
    await until(() => said.length === 1, 5_000);
    expect(said).toEqual(['node_modules changed: added floe.secrets:vault']);
  });

  it('reports a refresh that failed and keeps watching', async () => {
    fs.mkdirSync(tree.path('node_modules'));
    let fail = true;
    const { registry, calls } = fakeRegistry(() =>
      fail ? Promise.reject(new Error('disk gone')) : Promise.resolve(EMPTY),
    );
    const said: string[] = [];
    stop = watchModules(tree.root, registry, { out: () => undefined, err: (text) => said.push(text) }, 30);
    tree.write('node_modules/a/package.json', '{}');
    await until(() => said.length === 1, 5_000);
    expect(said[0]).toBe('node_modules changed, but the refresh failed: disk gone');
    fail = false;
    tree.write('node_modules/b/package.json', '{}');
    await until(() => calls.length === 2, 5_000);
  });

  it('stops watching when told to', async () => {
    fs.mkdirSync(tree.path('node_modules'));
    const { registry, calls } = fakeRegistry();
    stop = watchModules(tree.root, registry, { out: () => undefined, err: () => undefined }, 30);
    stop();
    tree.write('node_modules/a/package.json', '{}');
    await sleep(150);
    expect(calls).toEqual([]);
  });
});
