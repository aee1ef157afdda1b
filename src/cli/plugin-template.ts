import * as fs from 'node:fs';
import * as path from 'node:path';
import { PluginType } from '../plugin-type';
import type { FloeCoreSource } from './floe-core-source';

/** What `floe new plugin` writes, file by file (paths relative to the package folder). */
export type PluginFiles = Record<string, string>;

/** The base class of a plugin type, and the abstract members a plugin must write. */
export interface BaseClass {
  readonly className: string;
  readonly methods: readonly string[];
  readonly getters: readonly string[];
}

/**
 * The base class of a type and its abstract members, read from the installed floe-core's own declarations
 * (its `.d.ts`, or its source when run from it), so the stubs always match the installed version.
 */
export function baseClassOf(type: PluginType): BaseClass {
  const typeName = (Object.entries(PluginType).find(([, value]) => value === type) as [string, string])[0];
  const file = path.join(
    __dirname,
    '..',
    'plugins',
    `${typeName.replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase()}-plugin`,
  );
  const text = fs.readFileSync(fs.existsSync(`${file}.d.ts`) ? `${file}.d.ts` : `${file}.ts`, 'utf8');
  const methods: string[] = [];
  const getters: string[] = [];
  for (const match of text.matchAll(/^\s*abstract (get )?(\w+)\(/gm)) {
    const list = match[1] === undefined ? methods : getters;
    if (!list.includes(match[2])) list.push(match[2]);
  }
  return { className: `${typeName}Plugin`, methods, getters };
}

/** `duck-db_2` -> `DuckDb2`. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/**
 * A plugin package that installs, builds with `npm run build` and passes its own test: package.json (with its
 * `floe` field, engines and peer dependencies), tsconfig with the decorator settings, the decorated class with
 * a stub for every abstract member of its base class, a config schema with one example setting, a node:test
 * test, a README and a .gitignore.
 *
 * Its dev dependency on floe-core is the one that generated it: the version range when that came from a
 * registry, else a `file:` path to its folder (relative to `dir`, where the package is written) with an
 * `.npmrc` that installs the folder packed, as a registry would (a link would bring the folder's own
 * node_modules, a second copy of Inversify).
 */
export function pluginFiles(options: {
  type: PluginType;
  name: string;
  esm: boolean;
  dir: string;
  floeCore: FloeCoreSource;
  floeVersion: string;
  peers: Readonly<Record<string, string>>;
  typescript: string;
}): PluginFiles {
  const { type, name, esm, floeCore } = options;
  const base = baseClassOf(type);
  const className = `${pascalCase(name)}Plugin`;
  const settingsName = `${pascalCase(name)}Settings`;
  const key = `${type}:${name}`;
  const packageName = `floe-plugin-${name.toLowerCase()}`;
  const manifest = {
    name: packageName,
    version: '0.1.0',
    description: `A floe ${type} plugin: ${name}.`,
    ...(esm ? { type: 'module' } : {}),
    main: './dist/src/index.js',
    types: './dist/src/index.d.ts',
    files: ['dist/src'],
    engines: { node: '>=20.19' },
    scripts: {
      build: 'tsc -p tsconfig.json',
      prepare: 'npm run build',
      test: 'npm run build && node --test dist/test/plugin.test.js',
    },
    floe: { plugins: { [type]: { [name]: `./dist/src/index.js#${className}` } } },
    peerDependencies: { 'floe-core': `^${options.floeVersion}`, ...options.peers },
    devDependencies: {
      '@types/node': '^20.19.0',
      'floe-core': floeCore.kind === 'registry' ? floeCore.range : `file:${folderSpec(options.dir, floeCore.folder)}`,
      ...options.peers,
      typescript: options.typescript,
    },
    // npm 11 asks before it runs a dependency's scripts: floe-core's folder builds itself when packed.
    ...(floeCore.kind === 'folder' ? { allowScripts: { [`file:${floeCore.folder}`]: true } } : {}),
  };
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      // nodenext lets a CommonJS package require() Inversify's ES modules (TypeScript 5.8 and later).
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: ['ES2022', 'ESNext.Disposable'],
      types: ['node'],
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      strict: true,
      noImplicitOverride: true,
      esModuleInterop: true,
      isolatedModules: true,
      skipLibCheck: true,
      declaration: true,
      sourceMap: true,
      rootDir: '.',
      outDir: 'dist',
    },
    include: ['src', 'test'],
  };
  const stubs = [
    ...base.getters.map(
      (getter) =>
        `  override get ${getter}(): ${base.className}['${getter}'] {\n    throw notImplemented('${getter}');\n  }`,
    ),
    ...base.methods.map(
      (method) =>
        `  override ${method}(\n    ..._args: Parameters<${base.className}['${method}']>\n  ): ReturnType<${base.className}['${method}']> {\n    throw notImplemented('${method}');\n  }`,
    ),
  ];
  const source = `import 'reflect-metadata';
import { IsInt, Max, Min } from 'class-validator';
import { ${base.className}, FloePlugin, HealthState, PluginError, PluginType, type HealthStatus } from 'floe-core';
import { inject } from 'inversify';

/** The settings of the ${name} plugin, with their defaults. Replace the example with the plugin's own. */
export class ${settingsName} {
  /** An example setting: how many connections to keep open. */
  @IsInt() @Min(1) @Max(64) poolSize = 4;
}

/** The ${name} ${type} plugin. */
@FloePlugin({
  type: PluginType.${Object.entries(PluginType).find(([, value]) => value === type)?.[0]},
  name: '${name}',
  version: '0.1.0',
  apiVersion: '1.0',
  description: 'TODO: what ${name} does, in one line.',
  configSchema: ${settingsName},
})
export class ${className} extends ${base.className} {
  constructor(@inject(${settingsName}) readonly settings: ${settingsName}) {
    super();
  }

  /** Opens connections; stop when \`signal\` aborts (the startup timeout, or a shutdown). */
  override async startup(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
  }

  /** Closes what startup opened. */
  override async shutdown(): Promise<void> {}

  override healthCheck(): HealthStatus {
    return { state: HealthState.Healthy, message: 'ready', details: { poolSize: this.settings.poolSize } };
  }
${stubs.length === 0 ? '' : `\n${stubs.join('\n\n')}\n`}}

function notImplemented(member: string): PluginError {
  return new PluginError('NOT_IMPLEMENTED', \`${className}.\${member} is not implemented yet: write it in src/index.ts.\`);
}
`;
  const test = `import 'reflect-metadata';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HealthState, PluginType } from 'floe-core';
import { createTestRegistry } from 'floe-core/testing';
import { ${className} } from '../src/index.js';

test('${name} starts with its settings and reports healthy', async () => {
  await using registry = createTestRegistry({
    plugins: [${className}],
    config: { plugins: { '${key}': { poolSize: 2 } } },
  });
  const plugin = await registry.get<${className}>(PluginType.${Object.entries(PluginType).find(([, value]) => value === type)?.[0]}, '${name}');
  assert.equal(plugin.settings.poolSize, 2);
  const health = await registry.healthCheckAll();
  assert.equal(health['${key}'].state, HealthState.Healthy);
});

test('${name} refuses settings out of bounds', async () => {
  await using registry = createTestRegistry({
    plugins: [${className}],
    config: { plugins: { '${key}': { poolSize: 0 } } },
  });
  await assert.rejects(registry.startAll(), { code: 'PLATFORM_CONFIG_INVALID' });
});
`;
  const fromFolder = floeCore.kind === 'folder';
  return {
    'package.json': `${JSON.stringify(manifest, null, 2)}\n`,
    ...(fromFolder
      ? {
          '.npmrc':
            '# floe-core comes from a folder (file:): install it packed, as a registry would. A link would\n' +
            "# resolve Inversify from that folder's own node_modules, a second copy (DUPLICATE_LIBRARY).\n" +
            'install-links=true\n',
        }
      : {}),
    'tsconfig.json': `${JSON.stringify(tsconfig, null, 2)}\n`,
    'src/index.ts': source,
    'test/plugin.test.ts': test,
    '.gitignore': 'node_modules/\ndist/\n',
    'README.md': `# ${packageName}

A floe plugin: \`${key}\` (${esm ? 'an ES module' : 'CommonJS'} package).

\`\`\`sh
npm install      # floe-core, its peers and TypeScript; builds dist/
npm test         # build, then run test/plugin.test.ts with node:test
\`\`\`
${
  fromFolder
    ? `
floe-core is a dev dependency on the folder it was generated from (\`${manifest.devDependencies['floe-core']}\`),
which \`.npmrc\` installs packed (\`install-links\`). When floe-core is on your registry, replace it with a
version range (\`npm install -D floe-core@^${options.floeVersion}\`) and delete \`.npmrc\`.
`
    : ''
}
Write the members of \`${base.className}\` in \`src/index.ts\`: each throws \`NOT_IMPLEMENTED\` until it is
written.

To use it in a platform (a project that depends on floe-core), install the package packed, not linked: its
folder has its own \`node_modules\`, and a linked folder would bring a second copy of floe-core and Inversify.

\`\`\`sh
cd ../my-platform
npm install --install-links ../${path.basename(options.dir)}
npx floe check
\`\`\`
`,
  };
}

/** A `file:` path from the package's folder to floe-core's, with forward slashes (npm's form on every OS). */
function folderSpec(from: string, to: string): string {
  const relative = path.relative(from, to).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}
