import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { load as parseYaml } from 'js-yaml';
import { DISCOVERY_ISSUE_CODES, parsePlatformConfig, PLUGIN_ERROR_CODES } from '../../src';
import { floeField, pluginModule } from '../support/package-tree';
import { REPO_ROOT, requireBuild, runNode } from '../support/run-node';

interface Block {
  readonly file: string;
  readonly language: string;
  /** What follows the language in the fence: `partial` marks an example that is deliberately a fragment. */
  readonly info: string;
  readonly code: string;
  readonly line: number;
}

const DOCS = [
  path.join(REPO_ROOT, 'README.md'),
  ...fs.readdirSync(path.join(REPO_ROOT, 'docs')).map((f) => path.join(REPO_ROOT, 'docs', f)),
]
  .concat(path.join(REPO_ROOT, 'examples', 'platform', 'README.md'))
  .filter((file) => file.endsWith('.md'));

function blocks(file: string): Block[] {
  const found: Block[] = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w*)(?:[ \t]+([^`]*?))?\s*$/.exec(lines[i]);
    if (open === null) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end++;
    found.push({
      file,
      language: open[1],
      info: open[2] ?? '',
      code: lines.slice(start, end).join('\n'),
      line: start + 1,
    });
    i = end;
  }
  return found;
}

const all = DOCS.flatMap(blocks);

const relative = (file: string) => path.relative(REPO_ROOT, file);

/**
 * A project of its own under build-check/, where floe-core is a package (its build) like in a user's project,
 * and the checkout's other packages are installed.
 */
function exampleProject(name: string): string {
  const out = path.join(REPO_ROOT, 'build-check', name);
  fs.rmSync(out, { recursive: true, force: true });
  const modules = path.join(out, 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  fs.writeFileSync(path.join(out, 'package.json'), JSON.stringify({ name, private: true }));
  fs.symlinkSync(REPO_ROOT, path.join(modules, 'floe-core'));
  for (const entry of fs.readdirSync(path.join(REPO_ROOT, 'node_modules'))) {
    if (!entry.startsWith('.')) fs.symlinkSync(path.join(REPO_ROOT, 'node_modules', entry), path.join(modules, entry));
  }
  return out;
}

/** The compiler options of the tsconfig the quickstart recommends, read from its page. */
function recommendedCompilerOptions(projectDir: string): ts.CompilerOptions {
  const quickstart = blocks(path.join(REPO_ROOT, 'docs', 'quickstart.md'));
  const tsconfig = quickstart.find((b) => b.language === 'json' && b.code.includes('"moduleResolution"'));
  if (tsconfig === undefined) throw new Error('docs/quickstart.md shows no tsconfig with moduleResolution');
  const { compilerOptions } = JSON.parse(tsconfig.code) as { compilerOptions: object };
  const { options, errors } = ts.convertCompilerOptionsFromJson(compilerOptions, projectDir);
  expect(errors.map((e) => ts.flattenDiagnosticMessageText(e.messageText, '\n'))).toEqual([]);
  return options;
}

/* Every code example in the docs is compiled or parsed here, so the docs cannot drift from the code. */
describe('the documentation', () => {
  it('has code examples to check', () => {
    expect(all.filter((b) => b.language === 'ts').length).toBeGreaterThan(15);
  });

  it('compiles every TypeScript example alone, as printed, with the tsconfig the quickstart recommends', () => {
    requireBuild();
    const out = exampleProject('docs-examples');
    const where = new Map<string, Block>();
    for (const block of all.filter((b) => b.language === 'ts' && !/\bpartial\b/.test(b.info))) {
      // An example that starts with `// name.ts` is that file of its page, which the page's others may import.
      const named = /^\/\/ ([\w-]+\.ts)\n/.exec(block.code)?.[1] ?? `example-${block.line}.ts`;
      const file = path.join(out, relative(block.file).replace(/[\\/.]/g, '_'), named);
      expect(where.has(file)).toBe(false);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${block.code}\n`);
      where.set(file, block);
    }
    const program = ts.createProgram([...where.keys()], {
      ...recommendedCompilerOptions(out),
      noEmit: true,
      // Every example is its own module, as if compiled alone, even one that imports nothing.
      moduleDetection: ts.ModuleDetectionKind.Force,
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
      const block = d.file === undefined ? undefined : where.get(path.resolve(d.file.fileName));
      const at =
        d.file === undefined
          ? ''
          : block === undefined
            ? `${d.file.fileName}: `
            : `${relative(block.file)}:${block.line + d.file.getLineAndCharacterOfPosition(d.start ?? 0).line}: `;
      return `${at}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    expect(diagnostics).toEqual([]);
    expect(where.size).toBeGreaterThan(20);
  });

  it('runs the tracing example, which flushes the spans of the platform before it returns', async () => {
    requireBuild();
    const out = exampleProject('docs-tracing');
    const example = all.find((b) => b.language === 'ts' && b.code.includes('runTraced')) as Block;
    const { outputText } = ts.transpileModule(example.code, {
      compilerOptions: { ...recommendedCompilerOptions(out), module: ts.ModuleKind.CommonJS },
    });
    fs.writeFileSync(path.join(out, 'example.js'), outputText);
    fs.writeFileSync(path.join(out, 'main.js'), "require('./example.js').runTraced(async () => {});\n");
    // One plugin package, so that the run has a plugin's spans too.
    fs.mkdirSync(path.join(out, 'node_modules', 'traced-plugin'));
    fs.writeFileSync(
      path.join(out, 'node_modules', 'traced-plugin', 'package.json'),
      JSON.stringify({
        name: 'traced-plugin',
        version: '1.0.0',
        ...floeField(['floe.secrets', 'traced', './index.js#tracedPlugin']),
      }),
    );
    fs.writeFileSync(
      path.join(out, 'node_modules', 'traced-plugin', 'index.js'),
      pluginModule({ type: 'floe.secrets', name: 'traced' }),
    );
    const { code, stdout } = await runNode(['main.js'], out);
    expect(code).toBe(0);
    const spans = [...stdout.matchAll(/name: '([\w.]+)'/g)].map((match) => match[1]);
    expect(spans).toEqual(
      expect.arrayContaining([
        'floe.discover',
        'floe.plugin.load',
        'floe.plugin.startup',
        'floe.startAll',
        'floe.plugin.shutdown',
        'floe.shutdownAll',
      ]),
    );
  });

  it('marks at most a quarter of the TypeScript examples partial', () => {
    const partial = all.filter((b) => b.language === 'ts' && /\bpartial\b/.test(b.info));
    expect(partial.length).toBeLessThanOrEqual(all.filter((b) => b.language === 'ts').length / 4);
  });

  it('has valid JSON examples', () => {
    for (const block of all.filter((b) => b.language === 'json')) {
      expect(() => JSON.parse(block.code)).not.toThrow();
    }
  });

  it('has valid YAML examples, and configuration examples that floe reads', () => {
    for (const block of all.filter((b) => b.language === 'yaml')) {
      const value = parseYaml(block.code) as Record<string, unknown> | null;
      if (value !== null && ('plugins' in value || 'defaults' in value)) {
        expect(() => parsePlatformConfig(block.code, 'floe.config.yaml')).not.toThrow();
      }
    }
    const jsonConfig = all.find(
      (b) => b.language === 'json' && b.code.includes('"plugins"') && !b.code.includes('"floe"'),
    );
    expect(() => parsePlatformConfig((jsonConfig as Block).code, 'floe.config.json')).not.toThrow();
  });

  it('draws valid kinds of mermaid diagrams', () => {
    for (const block of all.filter((b) => b.language === 'mermaid')) {
      expect(block.code.split('\n')[0]).toMatch(/^(flowchart (LR|TD)|gantt|stateDiagram-v2)$/);
    }
  });

  it('explains every error code and every discovery issue in troubleshooting', () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'troubleshooting.md'), 'utf8');
    for (const code of [...PLUGIN_ERROR_CODES, ...DISCOVERY_ISSUE_CODES]) {
      expect(text.includes(`### \`${code}\``) || text.includes(`as \`${code}\``)).toBe(true);
    }
  });

  it('links only to files that exist', () => {
    for (const doc of DOCS) {
      for (const [, target] of fs.readFileSync(doc, 'utf8').matchAll(/\]\(([^)#]+?)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        expect(fs.existsSync(path.resolve(path.dirname(doc), target))).toBe(true);
      }
    }
  });
});
