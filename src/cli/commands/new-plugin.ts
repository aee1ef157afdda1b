import * as fs from 'node:fs';
import * as path from 'node:path';
import { isValidPluginName } from '../../plugin/plugin-name';
import { floeCoreSource } from '../floe-core-source';
import { jsonValue, type Output } from '../output';
import { pluginFiles } from '../plugin-template';
import { UsageError } from '../usage-error';
import { parseType } from './list';

/** Options of `floe new plugin`. */
export interface NewPluginOptions {
  dir?: string;
  esm?: boolean;
  json?: boolean;
}

/**
 * `floe new plugin TYPE NAME [--dir DIR] [--esm]`: writes a plugin package that builds with
 * `npm run build` and passes its own test, into DIR (default `floe-plugin-NAME`), which must not exist or be
 * empty.
 */
export function newPluginCommand(
  typeArgument: string,
  name: string,
  options: NewPluginOptions,
  output: Output,
): number {
  const type = parseType(typeArgument);
  if (!isValidPluginName(name)) {
    throw new UsageError(
      `"${name}" is not a plugin name: start with a letter or digit, then letters, digits, "_" or "-".`,
    );
  }
  const dir = path.resolve(options.dir ?? `floe-plugin-${name.toLowerCase()}`);
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    throw new UsageError(`${dir} exists and is not empty; choose another --dir.`);
  }
  const own = floeManifest();
  const files = pluginFiles({
    type,
    name,
    esm: options.esm === true,
    dir,
    floeCore: floeCoreSource(FLOE_CORE_ROOT, own.version),
    floeVersion: own.version,
    peers: own.peerDependencies ?? {},
    typescript: own.devDependencies?.typescript ?? '^6.0.3',
  });
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  if (options.json === true) {
    output.out(JSON.stringify(jsonValue({ dir, plugin: `${type}:${name}`, files: Object.keys(files) }), null, 2));
    return 0;
  }
  output.out(
    [
      `Wrote the plugin package ${type}:${name} in ${dir}:`,
      ...Object.keys(files).map((file) => `  ${file}`),
      '',
      'Next:',
      `  cd ${path.relative(process.cwd(), dir) || '.'}`,
      '  npm install && npm test',
      '  write the plugin in src/index.ts (each stub throws NOT_IMPLEMENTED until written)',
    ].join('\n'),
  );
  return 0;
}

/** The folder of the running floe-core (from dist/cli/commands, or src/cli/commands when run from source). */
const FLOE_CORE_ROOT = path.resolve(__dirname, '..', '..', '..');

function floeManifest(): {
  version: string;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
} {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- read at run time from the installed package
  return require(path.join(FLOE_CORE_ROOT, 'package.json')) as ReturnType<typeof floeManifest>;
}
