import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The checkout's root folder. */
export const REPO_ROOT = path.resolve(__dirname, '../..');

/** Fails early, with the fix, when the built package that child processes run is missing. */
export function requireBuild(): void {
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist', 'index.js'))) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does it for you).');
  }
}

/** What a child process printed and how it ended. */
export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node` with arguments in a folder and resolves with its output, whatever its exit code. */
export function runNode(args: string[], cwd: string, env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd, env: { ...process.env, FLOE_LOG_LEVEL: 'error', ...env }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(error);
          return;
        }
        resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}

/** Runs the built `floe` command with arguments. */
export function runFloe(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  return runNode([path.join(REPO_ROOT, 'bin', 'floe.js'), ...args], options.cwd ?? REPO_ROOT, options.env);
}
