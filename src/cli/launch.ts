import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where this floe runs from: its environment, its arguments and its working folder. */
export interface Launch {
  readonly env: NodeJS.ProcessEnv;
  /** The arguments after the script: `serve --port 8080 ...`. */
  readonly argv: readonly string[];
  readonly cwd: string;
}

/** This floe-core's command, bin/floe.js. */
const BIN = path.resolve(__dirname, '..', '..', 'bin', 'floe.js');

/**
 * Whether floe was started by an npm script or npx: npm (and the shell it starts the script in) may not
 * pass SIGTERM on, so an orchestrator's stop would kill floe without stopping its plugins.
 */
export function runsUnderNpm(env: NodeJS.ProcessEnv): boolean {
  const script = env.npm_lifecycle_script;
  return env.npm_command !== undefined && script !== undefined && /\bfloe\b/.test(script);
}

/** The command that runs this floe directly, without npm in between, from the same folder. */
export function directCommand(launch: Launch): string {
  return ['node', binFrom(launch.cwd), ...launch.argv].map(quoted).join(' ');
}

/** The same command in a container image's exec form: `["node", "...", "serve", ...]`. */
export function execForm(launch: Launch): string {
  return JSON.stringify(['node', binFrom(launch.cwd), ...launch.argv]);
}

// bin/floe.js as the folder reaches it: through its node_modules when this floe-core is installed there.
function binFrom(cwd: string): string {
  const installed = path.join('node_modules', 'floe-core', 'bin', 'floe.js');
  try {
    if (fs.realpathSync(path.join(cwd, installed)) === fs.realpathSync(BIN)) return installed;
  } catch {
    // Not installed in that folder's node_modules: say where it is.
  }
  return path.relative(cwd, BIN) || BIN;
}

function quoted(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
