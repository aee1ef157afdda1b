import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/run-node';

/** The codes the contract ties to a class: an error with one of these codes must be an instance of it. */
const CODES_WITH_A_CLASS = [
  'PLUGIN_NOT_FOUND',
  'PLUGIN_INCOMPATIBLE',
  'PLUGIN_CONFIG_INVALID',
  'PLUGIN_DUPLICATE',
  'DEPENDENCY_CYCLE',
  'DEPENDENCY_MISSING',
  'PLUGIN_STARTUP_FAILED',
  'PLUGIN_TIMEOUT',
  'PLUGIN_INVALID',
  'VERSION_INVALID',
];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('errors raised with a code', () => {
  it('are built with the class the contract ties to that code, never as a bare PluginError', () => {
    const offenders: string[] = [];
    const files = sourceFiles(path.join(REPO_ROOT, 'src'));
    expect(files.length).toBeGreaterThan(40);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const match of text.matchAll(/new PluginError\(\s*'([A-Z_]+)'/g)) {
        if (CODES_WITH_A_CLASS.includes(match[1])) offenders.push(`${path.relative(REPO_ROOT, file)}: ${match[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
