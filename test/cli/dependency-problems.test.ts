import * as fs from 'node:fs';
import { tangledPlatform } from '../fixtures/platforms';
import type { PackageTree } from '../support/package-tree';
import { runMain } from '../support/run-main';

/* A platform with a cycle, a missing dependency and a shared name: what graph, info and doctor show. */
describe('floe with dependency problems', () => {
  let tree: PackageTree;
  beforeAll(() => {
    tree = tangledPlatform();
  });
  afterAll(() => tree.remove());

  it('graph --json marks cycle edges, draws a missing dependency as a node, and lists both as problems', async () => {
    const { code, stdout } = await runMain(['graph', '--root', tree.root, '--json']);
    expect(code).toBe(0);
    const graph = JSON.parse(stdout);
    expect(graph.nodes).toContainEqual({
      key: 'missing:floe.secrets:nowhere',
      name: 'floe.secrets:nowhere',
      missing: true,
    });
    expect(graph.edges).toEqual(
      expect.arrayContaining([
        { from: 'floe.secrets:a', to: 'floe.catalogs:b', cycle: true },
        { from: 'floe.catalogs:b', to: 'floe.secrets:a', cycle: true },
        { from: 'floe.storage:c', to: 'missing:floe.secrets:nowhere', missing: true },
        { from: 'floe.computes:needs-c', to: 'floe.storage:c' },
      ]),
    );
    expect(graph.problems.map((p: { code: string; message: string }) => p.code).sort()).toEqual([
      'DEPENDENCY_CYCLE',
      'DEPENDENCY_MISSING',
    ]);
    expect(graph.problems.find((p: { code: string }) => p.code === 'DEPENDENCY_CYCLE').message).toContain(
      'floe.catalogs:b -> floe.secrets:a -> floe.catalogs:b',
    );
  });

  it('graph draws them in DOT and mermaid too', async () => {
    const dot = (await runMain(['graph', '--root', tree.root, '--format', 'dot'])).stdout;
    expect(dot).toContain('"floe.secrets:a" -> "floe.catalogs:b" [color=red, label="cycle"];');
    expect(dot).toContain(
      '"missing:floe.secrets:nowhere" [label="floe.secrets:nowhere\\n(missing)", style=dashed, color=red];',
    );
    const mermaid = await runMain(['graph', '--root', tree.root]);
    expect(mermaid.stdout).toMatch(/p\d+ -- cycle --> p\d+/);
    expect(mermaid.stdout).toMatch(/p\d+ -\.-> p\d+/);
    expect(mermaid.stdout).toContain('(missing)');
    expect(mermaid.stderr).toContain('DEPENDENCY_CYCLE');
  });

  it('graph --format svg draws them too, into --out FILE', async () => {
    const file = tree.path('graph.svg');
    const { code, stderr } = await runMain(['graph', '--root', tree.root, '--format', 'svg', '--out', file]);
    expect(code).toBe(0);
    expect(stderr).toContain(`wrote ${file}`);
    expect(stderr).toContain('DEPENDENCY_CYCLE');
    const svg = fs.readFileSync(file, 'utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toMatch(/<path class="edge cycle" data-from="floe\.secrets:a" data-to="floe\.catalogs:b"/);
    expect(svg).toMatch(
      /<path class="edge missing" data-from="floe\.storage:c" data-to="missing:floe\.secrets:nowhere"/,
    );
    expect(svg).toContain('<g class="node missing" data-key="missing:floe.secrets:nowhere"');
    expect(svg).toContain('>cycle</text>');
    expect(svg).toContain('>missing dependency</text>');
  });

  it('refuses --format dot with --json as a usage error', async () => {
    expect((await runMain(['graph', '--root', tree.root, '--format', 'dot', '--json'])).code).toBe(2);
  });

  it('info refuses a name two plugins share, listing them', async () => {
    const { code, stdout } = await runMain(['info', 'twin', '--root', tree.root, '--json']);
    expect(code).toBe(2);
    const message = JSON.parse(stdout).error.message;
    expect(message).toContain('floe.dbt:twin');
    expect(message).toContain('floe.ingestion:twin');
  });

  it('doctor counts each problem once and still starts what it can', async () => {
    const { code, stdout } = await runMain(['doctor', '--root', tree.root, '--json']);
    expect(code).toBe(1);
    const result = JSON.parse(stdout);
    const codes = result.problems
      .map((p: { code: string; plugin?: string }) => `${p.code} ${p.plugin ?? ''}`.trim())
      .sort();
    expect(codes).toEqual([
      'DEPENDENCY_CYCLE',
      'DEPENDENCY_MISSING floe.storage:c',
      'PLUGIN_SKIPPED floe.computes:needs-c',
    ]);
    expect(result.startup.started.sort()).toEqual(['floe.dbt:twin', 'floe.identity:free', 'floe.ingestion:twin']);
  });
});
