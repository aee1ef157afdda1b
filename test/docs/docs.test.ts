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

/** The import declarations of several examples, merged by module so that each name is imported once. */
class Imports {
  private readonly modules = new Map<
    string,
    { names: Map<string, boolean>; defaultName?: string; namespace?: string; sideEffect: boolean }
  >();

  /** Records the imports of one example and returns the example without them. */
  take(code: string): string {
    const source = ts.createSourceFile('example.ts', code, ts.ScriptTarget.ES2022, true);
    let body = code;
    const statements = source.statements.filter(ts.isImportDeclaration);
    for (const statement of [...statements].reverse()) {
      const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
      const entry = this.modules.get(specifier) ?? { names: new Map<string, boolean>(), sideEffect: false };
      this.modules.set(specifier, entry);
      const clause = statement.importClause;
      if (clause === undefined) entry.sideEffect = true;
      else {
        if (clause.name !== undefined) entry.defaultName = clause.name.text;
        const bindings = clause.namedBindings;
        if (bindings !== undefined && ts.isNamespaceImport(bindings)) entry.namespace = bindings.name.text;
        if (bindings !== undefined && ts.isNamedImports(bindings)) {
          for (const element of bindings.elements) {
            const typeOnly = clause.isTypeOnly || element.isTypeOnly;
            const name =
              element.propertyName === undefined
                ? element.name.text
                : `${element.propertyName.text} as ${element.name.text}`;
            entry.names.set(name, (entry.names.get(name) ?? true) && typeOnly);
          }
        }
      }
      body = body.slice(0, statement.getStart(source)) + body.slice(statement.getEnd());
    }
    return body.trim();
  }

  toString(): string {
    const lines: string[] = [];
    for (const [specifier, entry] of this.modules) {
      if (entry.sideEffect) lines.push(`import '${specifier}';`);
      if (entry.namespace !== undefined) lines.push(`import * as ${entry.namespace} from '${specifier}';`);
      const named = [...entry.names].map(([name, typeOnly]) => (typeOnly ? `type ${name}` : name));
      const parts = [
        ...(entry.defaultName === undefined ? [] : [entry.defaultName]),
        ...(named.length === 0 ? [] : [`{ ${named.join(', ')} }`]),
      ];
      if (parts.length > 0) lines.push(`import ${parts.join(', ')} from '${specifier}';`);
    }
    return lines.join('\n');
  }
}
const relative = (file: string) => path.relative(REPO_ROOT, file);

/* Every code example in the docs is compiled or parsed here, so the docs cannot drift from the code. */
describe('the documentation', () => {
  it('has code examples to check', () => {
    expect(all.filter((b) => b.language === 'ts').length).toBeGreaterThan(15);
  });

  it('compiles every TypeScript example (each page’s examples in order form one module, imports merged)', () => {
    const out = path.join(REPO_ROOT, 'build-check', 'docs-examples');
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out, { recursive: true });
    const files: string[] = [];
    for (const doc of DOCS) {
      const code = blocks(doc).filter((b) => b.language === 'ts');
      if (code.length === 0) continue;
      const file = path.join(out, `${relative(doc).replace(/[\\/]/g, '__').replace(/\.md$/, '')}.ts`);
      // Each example may import what it uses, so that it reads alone; the page's module imports everything once.
      const imports = new Imports();
      const bodies = code.map((b) => `// ${relative(doc)}:${b.line}\n${imports.take(b.code)}`);
      fs.writeFileSync(file, `${imports.toString()}\n${bodies.join('\n\n')}\nexport {};\n`);
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
