import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import {
  ConfigFileError,
  createSilentLogger,
  loadPlatformConfig,
  PluginRegistry,
  PluginType,
  type DiscoveryIssue,
} from '../../src';
import { thrown } from '../support/caught';
import { floeField, PackageTree, pluginModule } from '../support/package-tree';

/* package.json and platform config files that are not regular files, are huge, or point elsewhere. */

let tree: PackageTree;
beforeEach(() => {
  tree = PackageTree.create('hostile-files');
  tree.project({});
  tree.package('good', floeField(['floe.secrets', 'good', './index.js#goodPlugin']), {
    'index.js': pluginModule({ type: 'floe.secrets', name: 'good' }),
  });
});
afterEach(() => tree.remove());

function discover(): { issues: DiscoveryIssue[]; found: string[] } {
  const registry = new PluginRegistry({ rootDir: tree.root, logger: createSilentLogger() });
  const report = registry.discoverAll();
  return { issues: report.issues, found: report.found.map((info) => info.key) };
}

function issueOf(issues: DiscoveryIssue[], packageName: string): DiscoveryIssue {
  const issue = issues.find((i) => i.packageName === packageName);
  if (issue === undefined) throw new Error(`no issue for ${packageName}: ${JSON.stringify(issues)}`);
  return issue;
}

describe('a package.json that is not a regular file', () => {
  it('reports a FIFO without blocking on it, and discovers the other packages', () => {
    fs.mkdirSync(tree.path('node_modules/fifo'), { recursive: true });
    execFileSync('mkfifo', [tree.path('node_modules/fifo/package.json')]);
    const { issues, found } = discover();
    expect(issueOf(issues, 'fifo')).toMatchObject({
      code: 'PACKAGE_NOT_A_FILE',
      path: tree.path('node_modules/fifo/package.json'),
    });
    expect(found).toEqual(['floe.secrets:good']);
  });

  it('reports a symlink to /dev/zero without reading from it', () => {
    fs.mkdirSync(tree.path('node_modules/zero'), { recursive: true });
    tree.link('node_modules/zero/package.json', '/dev/zero');
    const { issues, found } = discover();
    expect(issueOf(issues, 'zero').code).toBe('PACKAGE_NOT_A_FILE');
    expect(found).toEqual(['floe.secrets:good']);
  });

  it('reports a package.json over the cap with its size and the cap', () => {
    tree.write('node_modules/huge/package.json', `{"name":"huge","pad":"${'x'.repeat(5 * 1024 * 1024)}"}`);
    const { issues, found } = discover();
    const issue = issueOf(issues, 'huge');
    expect(issue.code).toBe('PACKAGE_TOO_LARGE');
    expect(issue.message).toContain('5.0 MiB');
    expect(issue.message).toContain('4.0 MiB');
    expect(found).toEqual(['floe.secrets:good']);
  });

  it('never echoes the content of a file a package.json links to', () => {
    const secret = tree.write('outside/passwd', 'root:x:0:0:TOP-SECRET:/root:/bin/bash\n');
    fs.mkdirSync(tree.path('node_modules/sneaky'), { recursive: true });
    tree.link('node_modules/sneaky/package.json', secret);
    const issue = issueOf(discover().issues, 'sneaky');
    expect(issue.code).toBe('PACKAGE_JSON_INVALID');
    expect(issue.message).toContain('line 1, column 1');
    expect(issue.message).not.toContain('TOP-SECRET');
    expect(issue.message).not.toContain('root:x');
  });

  it('accepts a package.json that starts with a byte-order mark, as npm does', () => {
    tree.write(
      'node_modules/bom/package.json',
      `\ufeff${JSON.stringify({ name: 'bom', version: '1.0.0', ...floeField(['floe.storage', 'bom', './index.js#bomPlugin']) })}`,
    );
    tree.write('node_modules/bom/index.js', pluginModule({ type: 'floe.storage', name: 'bom' }));
    const { issues, found } = discover();
    expect(issues).toEqual([]);
    expect(found.sort()).toEqual(['floe.secrets:good', 'floe.storage:bom']);
  });
});

describe('a platform config file that is not a regular file', () => {
  function configError(file: string): ConfigFileError {
    const error = thrown<ConfigFileError>(() => loadPlatformConfig(file));
    expect(error).toBeInstanceOf(ConfigFileError);
    expect(error.code).toBe('CONFIG_FILE_INVALID');
    expect(error.file).toBe(file);
    return error;
  }

  it('refuses a FIFO without blocking on it', () => {
    execFileSync('mkfifo', [tree.path('floe.config.yaml')]);
    const error = configError(tree.path('floe.config.yaml'));
    expect(error.problem).toBe('not-a-file');
    expect(error.message).toContain('FIFO');
  });

  it('refuses a symlink to /dev/zero', () => {
    tree.link('floe.config.yaml', '/dev/zero');
    expect(configError(tree.path('floe.config.yaml')).problem).toBe('not-a-file');
  });

  it('refuses a file over the cap, giving its size and the cap', () => {
    const file = tree.write('floe.config.yaml', `# ${'x'.repeat(9 * 1024 * 1024)}\nplugins: {}\n`);
    const error = configError(file);
    expect(error.problem).toBe('too-large');
    expect(error.message).toContain('9.0 MiB');
    expect(error.message).toContain('8.0 MiB');
  });

  it('reads a file that starts with a byte-order mark', () => {
    for (const [name, text] of [
      ['floe.config.yaml', '\ufeffdefaults:\n  floe.computes: duckdb\n'],
      ['floe.config.json', '\ufeff{"defaults": {"floe.computes": "duckdb"}}'],
    ]) {
      expect(loadPlatformConfig(tree.write(name, text)).defaults).toEqual({ [PluginType.Compute]: 'duckdb' });
    }
  });
});
