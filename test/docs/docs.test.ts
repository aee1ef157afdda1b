import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { load as parseYaml } from 'js-yaml';
import { DISCOVERY_ISSUE_CODES, parsePlatformConfig, PLUGIN_ERROR_CODES } from '../../src';
import { REPO_ROOT } from '../support/run-node';

interface Block {
  readonly file: string;
  readonly language: string;
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
    const open = /^```(\w*)\s*$/.exec(lines[i]);
    if (open === null) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end] !== '```') end++;
    found.push({ file, language: open[1], code: lines.slice(start, end).join('\n'), line: start + 1 });
    i = end;
  }
  return found;
}

const all = DOCS.flatMap(blocks);
const relative = (file: string) => path.relative(REPO_ROOT, file);

/* Every code example in the docs is compiled or parsed here, so the docs cannot drift from the code. */
describe('the documentation', () => {
  it('has code examples to check', () => {
    expect(all.filter((b) => b.language === 'ts').length).toBeGreaterThan(15);
  });

  it('compiles every TypeScript example (each page’s examples in order form one module)', () => {
    const out = path.join(REPO_ROOT, 'build-check', 'docs-examples');
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out, { recursive: true });
    const files: string[] = [];
    for (const doc of DOCS) {
      const code = blocks(doc).filter((b) => b.language === 'ts');
      if (code.length === 0) continue;
      const file = path.join(out, `${relative(doc).replace(/[\\/]/g, '__').replace(/\.md$/, '')}.ts`);
      fs.writeFileSync(
        file,
        `${code.map((b) => `// ${relative(doc)}:${b.line}\n${b.code}`).join('\n\n')}\nexport {};\n`,
      );
      files.push(file);
    }
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(REPO_ROOT, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    ) as ts.ParsedCommandLine;
    const program = ts.createProgram(files, {
      ...config.options,
      noEmit: true,
      noUnusedLocals: false,
      noUnusedParameters: false,
      types: ['node'],
      paths: { 'floe-core': [path.join(REPO_ROOT, 'src', 'index.ts')] },
    });
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || files.includes(path.resolve(d.file.fileName)))
      .map((d) => {
        const where =
          d.file === undefined
            ? ''
            : `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: `;
        return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(diagnostics).toEqual([]);
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
