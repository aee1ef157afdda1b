import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A throwaway project folder with a real node_modules, written file by file. */
export class PackageTree {
  private constructor(readonly root: string) {}

  /** Creates an empty project folder under the system temp folder. */
  static create(label = 'floe'): PackageTree {
    return new PackageTree(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`))));
  }

  /** Writes the project's own package.json. */
  project(manifest: Record<string, unknown>, files: Record<string, string> = {}): string {
    this.write('package.json', JSON.stringify({ name: 'platform', version: '1.0.0', ...manifest }, null, 2));
    for (const [file, text] of Object.entries(files)) this.write(file, text);
    return this.root;
  }

  /** Writes `node_modules/<name>` with a package.json (name and version filled in) and other files. */
  package(name: string, manifest: Record<string, unknown>, files: Record<string, string> = {}): string {
    const dir = path.join('node_modules', name);
    this.write(path.join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', ...manifest }, null, 2));
    for (const [file, text] of Object.entries(files)) this.write(path.join(dir, file), text);
    return path.join(this.root, dir);
  }

  /** Writes a file relative to the root, creating folders. */
  write(relative: string, text: string): string {
    const file = path.join(this.root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  }

  /** Creates a symlink at `relative` pointing to `target` (absolute, or relative to the link's folder). */
  link(relative: string, target: string): void {
    const file = path.join(this.root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.symlinkSync(target, file);
  }

  /** Makes `node_modules/floe-core` this checkout, for child processes that run the built package. */
  linkFloeCore(): void {
    this.link('node_modules/floe-core', path.resolve(__dirname, '../..'));
  }

  /** Makes `node_modules/<name>` this checkout's installed copy of a dependency. */
  linkDependency(name: string): void {
    this.link(`node_modules/${name}`, path.resolve(__dirname, '../../node_modules', name));
  }

  path(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** What a generated plugin module declares and does. */
export interface PluginSource {
  type: string;
  name: string;
  className?: string;
  version?: string;
  apiVersion?: string;
  dependsOn?: string[];
  /** Class body members, in JavaScript. */
  body?: string;
  /** Extra `@FloePlugin` options, as a JavaScript object literal's contents. */
  extraOptions?: string;
  /** `named` (default): `exports.ClassName`; `default`: `module.exports = Class`. */
  exportStyle?: 'named' | 'default';
  /** Code to run before the class, with `floe` in scope. */
  prelude?: string;
}

/**
 * A CommonJS plugin module that counts its own evaluations in `globalThis.__floeLoads[key]`, so tests
 * can tell how often it was imported.
 */
export function pluginModule(source: PluginSource): string {
  const className = source.className ?? `${source.name.replace(/[^A-Za-z0-9]/g, '')}Plugin`;
  const key = `${source.type}:${source.name}`;
  const options = [
    `type: ${JSON.stringify(source.type)}`,
    `name: ${JSON.stringify(source.name)}`,
    `version: ${JSON.stringify(source.version ?? '1.0.0')}`,
    `apiVersion: ${JSON.stringify(source.apiVersion ?? '1.0')}`,
    `dependsOn: ${JSON.stringify(source.dependsOn ?? [])}`,
    source.extraOptions ?? '',
  ]
    .filter((part) => part !== '')
    .join(', ');
  return [
    `'use strict';`,
    `const floe = require('floe-core');`,
    `globalThis.__floeLoads = globalThis.__floeLoads || {};`,
    `globalThis.__floeLoads[${JSON.stringify(key)}] = (globalThis.__floeLoads[${JSON.stringify(key)}] || 0) + 1;`,
    source.prelude ?? '',
    `class ${className} extends floe.PluginMetadata {`,
    source.body ?? '',
    `}`,
    `floe.FloePlugin({ ${options} })(${className});`,
    source.exportStyle === 'default' ? `module.exports = ${className};` : `exports.${className} = ${className};`,
  ].join('\n');
}

/** How many times the module of a plugin key was evaluated in this test file. */
export function loadCount(key: string): number {
  return ((globalThis as { __floeLoads?: Record<string, number> }).__floeLoads ?? {})[key] ?? 0;
}

/** A package.json `floe` field announcing one plugin per `[group, name, target]`. */
export function floeField(...plugins: [group: string, name: string, target: string][]): Record<string, unknown> {
  const field: Record<string, Record<string, string>> = {};
  for (const [group, name, target] of plugins) (field[group] ??= {})[name] = target;
  return { floe: { plugins: field } };
}
