import { PluginConfigurationError, PluginError, messageOf, type ConfigIssue } from '../errors';
import { toJsonValue } from '../json-value';
import { Progress } from './progress';

/** Where a command writes; stdout carries the result, stderr errors and logs. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Writes raw text to a terminal, when stderr is one: for the progress line. */
  terminal?(text: string): void;
  /** The progress line of a long command, when there is a terminal to show it on and no --json. */
  readonly progress?: Progress;
}

/** One thing wrong with a platform, as the CLI reports it. */
export interface Problem {
  readonly code: string;
  readonly plugin?: string;
  readonly package?: string;
  readonly path?: string;
  readonly message: string;
  /** For refused settings: each issue, with its line and column when the settings came from a file. */
  readonly issues?: readonly ConfigIssue[];
  /** With `--verbose`: where the error was thrown. */
  readonly stack?: string;
  /** With `--verbose`: what caused it, as JSON writes errors (each with its stack and cause). */
  readonly cause?: unknown;
}

let verbose = false;

/**
 * Whether the command runs with `--verbose` (or `FLOE_VERBOSE=1`): problems then carry the stack and cause
 * chain of their error, in text and in JSON. Set by `main` for the length of one command.
 */
export function setVerbose(on: boolean): void {
  verbose = on;
}

/** A problem from any thrown value, attributed to a plugin when known; with its stack and causes when verbose. */
export function problemOf(error: unknown, plugin?: string): Problem {
  const code = PluginError.is(error) ? error.code : 'UNEXPECTED_ERROR';
  const problem = {
    code,
    ...(plugin === undefined ? {} : { plugin }),
    message: messageOf(error),
    ...(error instanceof PluginConfigurationError ? { issues: error.errors } : {}),
  };
  if (!verbose) return problem;
  const detail = toJsonValue(error, { stacks: true }) as { stack?: string; cause?: unknown } | string;
  if (typeof detail !== 'object' || detail === null) return problem;
  return {
    ...problem,
    ...(detail.stack === undefined ? {} : { stack: detail.stack }),
    ...(detail.cause === undefined ? {} : { cause: detail.cause }),
  };
}

/**
 * The text after a failure's message on the command line: with `--verbose`, its stack and each cause with
 * its own (`Caused by: ...`); otherwise nothing.
 */
export function failureDetail(error: unknown): string {
  if (!verbose) return '';
  const lines: string[] = [];
  const seen = new Set<unknown>();
  for (let current: unknown = error, first = true; current !== undefined && !seen.has(current); first = false) {
    seen.add(current);
    const json = toJsonValue(current, { stacks: true }) as { stack?: string; message?: string } | string;
    const stack = typeof json === 'object' && json !== null ? json.stack : undefined;
    const text = stack ?? (typeof json === 'string' ? json : (json?.message ?? String(json)));
    lines.push(first ? text : `Caused by: ${text}`);
    current = causeOf(current);
  }
  return `\n${lines.join('\n').replace(/^/gm, '    ')}`;
}

function causeOf(error: unknown): unknown {
  try {
    return typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  } catch {
    return undefined;
  }
}

/** Adds problems not already present (same code, plugin and message). */
export function addProblems(into: Problem[], problems: readonly Problem[]): void {
  for (const problem of problems) {
    if (!into.some((p) => p.code === problem.code && p.plugin === problem.plugin && p.message === problem.message))
      into.push(problem);
  }
}

/**
 * A value ready for JSON.stringify whatever it holds: errors become plain objects with their code and
 * fields, values JSON cannot hold become markers (see toJsonValue), and times (`durationMs`, `startedAt`,
 * `endedAt`, ...) are rounded to 0.1 ms.
 */
export function jsonValue(value: unknown): unknown {
  return roundTimes(toJsonValue(value, { stacks: verbose }));
}

const TIME_KEY = /(Ms|At)$/;

function roundTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(roundTimes);
  if (typeof value !== 'object' || value === null) return value;
  const rounded: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    rounded[key] = typeof item === 'number' && TIME_KEY.test(key) ? Math.round(item * 10) / 10 : roundTimes(item);
  }
  return rounded;
}

/** Renders rows as aligned columns under a header. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

/** Renders problems for people: one block per problem, the plugin or package first. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems
    .map((p) => {
      const subject = p.plugin ?? p.package ?? p.path ?? '';
      const where = p.path !== undefined && p.path !== subject ? `  (${p.path})` : '';
      const head = `  ✖ ${p.code}${subject === '' ? '' : `  ${subject}`}${where}`;
      const detail = p.stack === undefined && p.cause === undefined ? '' : detailLines(p);
      return `${head}\n      ${p.message.replace(/\n/g, '\n      ')}${detail}`;
    })
    .join('\n');
}

// A problem's stack and cause chain, indented under it.
function detailLines(problem: Problem): string {
  const lines: string[] = [];
  if (problem.stack !== undefined) lines.push(...problem.stack.split('\n'));
  for (let cause = problem.cause, depth = 0; cause !== undefined && depth < 32; depth++) {
    if (typeof cause !== 'object' || cause === null) {
      lines.push(`Caused by: ${String(cause)}`);
      break;
    }
    const { stack, message, name } = cause as { stack?: string; message?: string; name?: string };
    const [first, ...rest] = (stack ?? `${name ?? 'Error'}: ${message ?? ''}`).split('\n');
    lines.push(`Caused by: ${first}`, ...rest);
    cause = (cause as { cause?: unknown }).cause;
  }
  return `\n${lines.map((line) => `        ${line.trim()}`).join('\n')}`;
}

/** `1 plugin`, `2 plugins`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

// C0 controls but tab and newline, DEL, and C1 controls (0x9b starts a terminal sequence as ESC [ does).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text safe to print on a terminal: control characters (escape sequences that could move the cursor, hide
 * text or retitle the window) become visible `\u001b` escapes. In JSON text they can only occur inside
 * strings, where the same escapes keep it valid JSON.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * An output that writes only printable text; with a terminal and no `--json`, it also shows progress
 * (whose line clears before anything else is written).
 */
export function printableOutput(output: Output, json: boolean): Output {
  const terminal = output.terminal?.bind(output);
  const progress = terminal !== undefined && !json ? new Progress(terminal) : undefined;
  return {
    out: (text) => {
      progress?.stop();
      output.out(printable(text));
    },
    err: (text) => {
      progress?.stop();
      output.err(printable(text));
    },
    ...(progress === undefined ? {} : { progress }),
  };
}
