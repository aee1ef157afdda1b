import Ajv2020 from 'ajv/dist/2020';
import * as fs from 'node:fs';
import { invalidConfigPlatform } from '../fixtures/platforms';
import type { PackageTree } from '../support/package-tree';
import { runMain } from '../support/run-main';

describe('floe schema', () => {
  let tree: PackageTree;
  beforeAll(() => {
    tree = invalidConfigPlatform();
  });
  afterAll(() => tree.remove());

  it('prints a draft 2020-12 JSON Schema of the config file that a real validator agrees with', async () => {
    const { code, stdout } = await runMain(['schema', '--root', tree.root]);
    expect(code).toBe(0);
    const schema = JSON.parse(stdout);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.properties.plugins.properties).sort()).toEqual([
      'floe.catalogs:needs-bad',
      'floe.computes:bad',
      'floe.storage:good',
    ]);
    expect(schema.$defs['floe.storage:good'].properties.threads).toEqual({ type: 'integer', minimum: 1, default: 4 });
    const validate = new Ajv2020({ strict: true }).compile(schema);
    const file = (text: string) => ({ $schema: './floe.schema.json', plugins: text === '' ? {} : JSON.parse(text) });
    expect(validate(file('{"floe.storage:good": {"threads": 2}}'))).toBe(true);
    expect(validate(file('{"floe.computes:bad": {"threads": -1}}'))).toBe(false);
    expect(validate(file('{"floe.storage:good": {"colour": 1}}'))).toBe(false);
    expect(validate(file('{"floe.catalogs:needs-bad": {"any": 1}}'))).toBe(false);
    expect(validate({ defaults: { 'floe.storage': 'good' }, timeouts: { startupMs: 500 } })).toBe(true);
    expect(validate({ defaults: { 'floe.storage': 'nope' } })).toBe(false);
  });

  it('writes it into a file with --out, and check accepts a config file that points at it', async () => {
    const out = tree.path('floe.schema.json');
    const { code, stderr } = await runMain(['schema', '--root', tree.root, '--out', out]);
    expect(code).toBe(0);
    expect(stderr).toContain(`wrote ${out}`);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).title).toBe('floe platform configuration');
    const config = tree.write(
      'with-schema.config.yaml',
      '# yaml-language-server: $schema=./floe.schema.json\n$schema: ./floe.schema.json\nplugins:\n  floe.storage:good:\n    threads: 2\n  floe.computes:bad:\n    threads: 3\n',
    );
    expect((await runMain(['check', '--root', tree.root, '--config', config])).code).toBe(0);
  });
});
