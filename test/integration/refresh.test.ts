import * as fs from 'node:fs';
import * as path from 'node:path';
import { PackageTree } from '../support/package-tree';
import { REPO_ROOT, requireBuild, runNode } from '../support/run-node';

/*
 * registry.refresh() on a real platform folder whose node_modules change while it runs. Each scenario runs
 * in a Node process of its own against the built package: module caches are Node's (Jest has its own).
 */

const PRELUDE = `
const fs = require('node:fs');
const path = require('node:path');
const floe = require('floe-core');
const registry = new floe.PluginRegistry({ rootDir: process.cwd(), logger: floe.createSilentLogger(), timeouts: { startupMs: 2000 } });
const journal = [];
globalThis.__journal = journal;
/** A plugin module: CommonJS, or an ES module with esm: true. */
function source({ type, name, version = '1.0.0', dependsOn = [], body = '', esm = false, inject }) {
  const decorate = \`FloePlugin({ type: \${JSON.stringify(type)}, name: \${JSON.stringify(name)}, version: \${JSON.stringify(version)}, apiVersion: '1.0', dependsOn: \${JSON.stringify(dependsOn)} })(Plugin);\`;
  const injection = inject === undefined ? '' : \`inject(\${JSON.stringify(inject)})(Plugin, undefined, 0);\`;
  const cls = \`class Plugin extends PluginMetadata {
    constructor(dep = undefined) { super(); this.dep = dep; }
    startup() { globalThis.__journal.push('start ' + \${JSON.stringify(type + ':' + name)} + ' ' + \${JSON.stringify(version)}); \${body} }
    shutdown() { globalThis.__journal.push('stop ' + \${JSON.stringify(type + ':' + name)} + ' ' + \${JSON.stringify(version)}); }
  }\`;
  return esm
    ? \`import { FloePlugin, PluginMetadata } from 'floe-core'; import { inject } from 'inversify'; \${cls} \${injection} \${decorate} export { Plugin };\`
    : \`const { FloePlugin, PluginMetadata } = require('floe-core'); const { inject } = require('inversify'); \${cls} \${injection} \${decorate} exports.Plugin = Plugin;\`;
}
/** Writes (or rewrites) a plugin package in node_modules. */
function install(folder, plugin, extra = {}) {
  const dir = path.join('node_modules', folder);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.js'), source(plugin));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: folder, version: plugin.version || '1.0.0', ...(plugin.esm ? { type: 'module' } : {}),
    floe: { plugins: { [plugin.type]: { [plugin.name]: './index.js#Plugin' } } }, ...extra,
  }));
}
function uninstall(folder) { fs.rmSync(path.join('node_modules', folder), { recursive: true, force: true }); }
const state = (key) => { const [type, name] = key.split(/:(.*)/); try { return registry.info(type, name).state; } catch { return 'unknown'; } };
const summary = (report) => ({ ...report, failed: report.failed.map(({ key, error }) => ({ key, code: error.code })) });
const out = (value) => process.stdout.write(JSON.stringify(value));
`;

function run(tree: PackageTree, body: string) {
  return runNode(
    ['-e', `${PRELUDE}\n(async () => {\n${body}\n})().catch((error) => { console.error(error); process.exit(1); });`],
    tree.root,
  );
}

describe('registry.refresh()', () => {
  let tree: PackageTree;
  beforeAll(() => requireBuild());
  beforeEach(() => {
    tree = PackageTree.create('refresh');
    tree.project({});
    tree.linkFloeCore();
    for (const library of ['inversify', 'reflect-metadata', 'class-validator', 'class-transformer'])
      tree.linkDependency(library);
    for (const scoped of fs.readdirSync(path.join(REPO_ROOT, 'node_modules', '@inversifyjs')))
      tree.linkDependency(`@inversifyjs/${scoped}`);
  });
  afterEach(() => tree.remove());

  async function scenario(body: string): Promise<Record<string, unknown>> {
    const { code, stdout, stderr } = await run(tree, body);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    return JSON.parse(stdout) as Record<string, unknown>;
  }

  it('starts a plugin whose package appeared, and restarts nothing else', async () => {
    const result = await scenario(`
      install('vault', { type: 'floe.secrets', name: 'vault' });
      registry.discoverAll();
      await registry.startAll();
      const before = await registry.get('floe.secrets', 'vault');
      install('lake', { type: 'floe.catalogs', name: 'lake', dependsOn: ['floe.secrets:vault'] });
      const report = summary(await registry.refresh());
      const after = await registry.get('floe.secrets', 'vault');
      out({ report, lake: state('floe.catalogs:lake'), same: before === after, journal,
        found: registry.discoverAll().found.map((p) => p.key) });
    `);
    expect(result).toEqual({
      report: { ok: true, added: ['floe.catalogs:lake'], removed: [], updated: [], restarted: [], failed: [] },
      lake: 'active',
      same: true,
      journal: ['start floe.secrets:vault 1.0.0', 'start floe.catalogs:lake 1.0.0'],
      found: ['floe.catalogs:lake', 'floe.secrets:vault'],
    });
  });

  it('stops and forgets a plugin whose package disappeared; a dependent that needs it fails, the rest run on', async () => {
    const result = await scenario(`
      install('vault', { type: 'floe.secrets', name: 'vault' });
      install('lake', { type: 'floe.catalogs', name: 'lake', dependsOn: ['floe.secrets:vault'] });
      install('s3', { type: 'floe.storage', name: 's3' });
      registry.discoverAll();
      await registry.startAll();
      journal.length = 0;
      uninstall('vault');
      const report = summary(await registry.refresh());
      const lake = registry.info('floe.catalogs', 'lake');
      const expected = registry.status().expected.map(({ key, state, reason }) => [key, state, reason ?? null]);
      out({ report, vault: state('floe.secrets:vault'), lake: lake.state, s3: state('floe.storage:s3'), journal, expected });
    `);
    expect(result).toEqual({
      report: {
        ok: false,
        added: [],
        removed: ['floe.secrets:vault'],
        updated: [],
        restarted: [],
        failed: [{ key: 'floe.catalogs:lake', code: 'PLUGIN_DEPENDENCY_REMOVED' }],
      },
      vault: 'unknown',
      lake: 'failed',
      s3: 'active',
      journal: ['stop floe.catalogs:lake 1.0.0', 'stop floe.secrets:vault 1.0.0'],
      expected: [
        ['floe.catalogs:lake', 'failed', 'PLUGIN_DEPENDENCY_REMOVED'],
        ['floe.storage:s3', 'active', null],
      ],
    });
  });

  it('restarts a dependent onto the plugin its bare @inject(type) now means', async () => {
    const result = await scenario(`
      install('vault', { type: 'floe.secrets', name: 'vault' });
      install('lake', { type: 'floe.catalogs', name: 'lake', inject: 'floe.secrets' });
      registry.discoverAll();
      await registry.startAll();
      uninstall('vault');
      install('env', { type: 'floe.secrets', name: 'env' });
      const report = summary(await registry.refresh());
      const lake = await registry.get('floe.catalogs', 'lake');
      const env = await registry.get('floe.secrets', 'env');
      out({ report, injected: lake.dep === env });
    `);
    expect(result).toEqual({
      report: {
        ok: true,
        added: ['floe.secrets:env'],
        removed: ['floe.secrets:vault'],
        updated: [],
        restarted: ['floe.catalogs:lake'],
        failed: [],
      },
      injected: true,
    });
  });

  it.each([
    ['CommonJS', false],
    ['ES module', true],
  ])(
    'replaces a %s plugin whose package changed, restarting it and its live dependents in order',
    async (_kind, esm) => {
      const result = await scenario(`
      install('vault', { type: 'floe.secrets', name: 'vault', esm: ${esm} });
      install('lake', { type: 'floe.catalogs', name: 'lake', dependsOn: ['floe.secrets:vault'] });
      registry.discoverAll();
      await registry.startAll();
      journal.length = 0;
      install('vault', { type: 'floe.secrets', name: 'vault', version: '2.0.0', esm: ${esm} });
      const report = summary(await registry.refresh());
      out({ report, journal, version: registry.info('floe.secrets', 'vault').version, lake: state('floe.catalogs:lake') });
    `);
      expect(result).toEqual({
        report: {
          ok: true,
          added: [],
          removed: [],
          updated: ['floe.secrets:vault'],
          restarted: ['floe.secrets:vault', 'floe.catalogs:lake'],
          failed: [],
        },
        journal: [
          'stop floe.catalogs:lake 1.0.0',
          'stop floe.secrets:vault 1.0.0',
          'start floe.secrets:vault 2.0.0',
          'start floe.catalogs:lake 1.0.0',
        ],
        version: '2.0.0',
        lake: 'active',
      });
    },
  );

  it('rolls an update back to the old code when the new code fails to start', async () => {
    const result = await scenario(`
      install('vault', { type: 'floe.secrets', name: 'vault' });
      install('lake', { type: 'floe.catalogs', name: 'lake', dependsOn: ['floe.secrets:vault'] });
      registry.discoverAll();
      await registry.startAll();
      journal.length = 0;
      install('vault', { type: 'floe.secrets', name: 'vault', version: '2.0.0', body: "throw new Error('broken release');" });
      const report = summary(await registry.refresh());
      out({ report, journal, version: registry.info('floe.secrets', 'vault').version, vault: state('floe.secrets:vault'), lake: state('floe.catalogs:lake') });
    `);
    expect(result).toEqual({
      report: {
        ok: false,
        added: [],
        removed: [],
        updated: [],
        restarted: ['floe.secrets:vault', 'floe.catalogs:lake'],
        failed: [{ key: 'floe.secrets:vault', code: 'PLUGIN_STARTUP_FAILED' }],
      },
      journal: [
        'stop floe.catalogs:lake 1.0.0',
        'stop floe.secrets:vault 1.0.0',
        'start floe.secrets:vault 2.0.0',
        'start floe.secrets:vault 1.0.0',
        'start floe.catalogs:lake 1.0.0',
      ],
      version: '1.0.0',
      vault: 'active',
      lake: 'active',
    });
  });

  it('leaves a package caught half-written as it is, and tries a missing module again on the next refresh', async () => {
    const result = await scenario(`
      install('vault', { type: 'floe.secrets', name: 'vault' });
      registry.discoverAll();
      await registry.startAll();
      // Mid-install: the package.json is cut short.
      fs.writeFileSync('node_modules/vault/package.json', '{"name": "vault", "ver');
      const half = summary(await registry.refresh());
      const issues = registry.discoverAll().issues.map((issue) => issue.code);
      const stillLive = state('floe.secrets:vault');
      // A new package whose module is not written yet.
      install('lake', { type: 'floe.catalogs', name: 'lake' });
      fs.rmSync('node_modules/lake/index.js');
      const missing = summary(await registry.refresh());
      const lakeThen = state('floe.catalogs:lake');
      install('lake', { type: 'floe.catalogs', name: 'lake' });
      const healed = summary(await registry.refresh());
      out({ half, issues, stillLive, missing, lakeThen, healed, lake: state('floe.catalogs:lake') });
    `);
    expect(result).toEqual({
      half: { ok: true, added: [], removed: [], updated: [], restarted: [], failed: [] },
      issues: ['PACKAGE_JSON_INVALID'],
      stillLive: 'active',
      missing: {
        ok: false,
        added: ['floe.catalogs:lake'],
        removed: [],
        updated: [],
        restarted: [],
        failed: [{ key: 'floe.catalogs:lake', code: 'PLUGIN_LOAD_FAILED' }],
      },
      lakeThen: 'failed',
      healed: { ok: true, added: [], removed: [], updated: [], restarted: [], failed: [] },
      lake: 'active',
    });
  });

  it('reports a new package that throws on import, and rolls back an update whose constructor throws', async () => {
    const result = await scenario(`
      install('vault', { type: 'floe.secrets', name: 'vault' });
      registry.discoverAll();
      await registry.startAll();
      install('lake', { type: 'floe.catalogs', name: 'lake' });
      fs.appendFileSync('node_modules/lake/index.js', "\\nthrow new Error('lake is broken');");
      const throwing = summary(await registry.refresh());
      const source = fs.readFileSync('node_modules/vault/index.js', 'utf8');
      install('vault', { type: 'floe.secrets', name: 'vault', version: '2.0.0' });
      fs.writeFileSync('node_modules/vault/index.js', fs.readFileSync('node_modules/vault/index.js', 'utf8')
        .replace('super(); this.dep = dep;', "super(); throw new Error('cannot build');"));
      const building = summary(await registry.refresh());
      out({ throwing, lake: state('floe.catalogs:lake'), building, vault: registry.info('floe.secrets', 'vault').version,
        live: state('floe.secrets:vault'), changed: source !== fs.readFileSync('node_modules/vault/index.js', 'utf8') });
    `);
    expect(result).toEqual({
      throwing: {
        ok: false,
        added: ['floe.catalogs:lake'],
        removed: [],
        updated: [],
        restarted: [],
        failed: [{ key: 'floe.catalogs:lake', code: 'PLUGIN_LOAD_FAILED' }],
      },
      lake: 'failed',
      building: {
        ok: false,
        added: [],
        removed: [],
        updated: [],
        restarted: ['floe.secrets:vault'],
        // The broken package is tried again on every refresh, and still fails.
        failed: [
          { key: 'floe.catalogs:lake', code: 'PLUGIN_LOAD_FAILED' },
          { key: 'floe.secrets:vault', code: 'PLUGIN_STARTUP_FAILED' },
        ],
      },
      vault: '1.0.0',
      live: 'active',
      changed: true,
    });
  });

  it('runs two refreshes one after the other, and one during a shutdown starts nothing', async () => {
    const result = await scenario(`
      install('vault', { type: 'floe.secrets', name: 'vault' });
      registry.discoverAll();
      await registry.startAll();
      install('lake', { type: 'floe.catalogs', name: 'lake' });
      const [first, second] = (await Promise.all([registry.refresh(), registry.refresh()])).map(summary);
      const starts = journal.filter((line) => line.startsWith('start floe.catalogs:lake')).length;
      const stopping = registry.shutdownAll();
      install('s3', { type: 'floe.storage', name: 's3' });
      const during = summary(await registry.refresh());
      await stopping;
      out({ first, second, starts, during, s3: state('floe.storage:s3'), phase: registry.status().phase });
    `);
    expect(result).toEqual({
      first: { ok: true, added: ['floe.catalogs:lake'], removed: [], updated: [], restarted: [], failed: [] },
      second: { ok: true, added: [], removed: [], updated: [], restarted: [], failed: [] },
      starts: 1,
      during: { ok: true, added: ['floe.storage:s3'], removed: [], updated: [], restarted: [], failed: [] },
      s3: 'discovered',
      phase: 'stopping',
    });
  });
});
