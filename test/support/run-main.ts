import { main } from '../../src/cli/main';
import type { RunResult } from './run-node';

/** Runs the floe command in this process through `main(argv, output)`, collecting what it writes. */
export async function runMain(args: string[]): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, stdout: out.map((line) => `${line}\n`).join(''), stderr: err.map((line) => `${line}\n`).join('') };
}
