import { Command, CommanderError, Option } from 'commander';
import { PluginError, messageOf } from '../errors';
import type * as Check from './commands/check';
import type * as Doctor from './commands/doctor';
import type * as Graph from './commands/graph';
import type * as Info from './commands/info';
import type * as List from './commands/list';
import type * as NewPlugin from './commands/new-plugin';
import type * as Schema from './commands/schema';
import type * as Serve from './commands/serve';
import type { SignalSource } from './commands/serve';
import { milliseconds, port } from './flags';
import { failureDetail, printableOutput, problemOf, setVerbose, type Output } from './output';
import { UsageError } from './usage-error';

// Kept from the start: while a --json command runs, anything else written to stdout goes to stderr.
const writeStdout = process.stdout.write.bind(process.stdout);

const standardOutput: Output = {
  out: (text) => void writeStdout(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
  ...(process.stderr.isTTY ? { terminal: (text: string) => void process.stderr.write(text) } : {}),
};

/**
 * Runs the `floe` command with its arguments (without `node` and the script) and resolves to its exit
 * code: 0 done, 1 something is wrong with the platform, 2 a usage error.
 */
export async function main(
  argv: readonly string[],
  destination: Output = standardOutput,
  context: { signals?: SignalSource } = {},
): Promise<number> {
  const json = argv.includes('--json');
  setVerbose(argv.includes('--verbose') || process.env.FLOE_VERBOSE === '1');
  // Package names, paths and plugin messages come from files anyone can write: never print them raw.
  const output = printableOutput(destination, json);
  let exitCode = 0;
  const program = new Command('floe')
    .description('Inspect and check the plugins of a floe platform.')
    .version(version(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (text) => output.out(text.trimEnd()), writeErr: (text) => output.err(text.trimEnd()) })
    .showHelpAfterError('(run floe --help for usage)');

  const common = (command: Command) =>
    command
      .option('--root <dir>', 'the platform folder whose package.json and node_modules are read', process.cwd())
      .option('--json', 'print the result as JSON on stdout')
      .option('--verbose', 'show the stack and cause chain of each failure (also FLOE_VERBOSE=1)')
      .exitOverride();
  const run = (action: () => number | Promise<number>) => async () => {
    exitCode = await action();
  };
  const timeouts = (command: Command) =>
    command
      .option(
        '--startup-timeout <ms>',
        'time each plugin gets to start, in milliseconds (over timeouts.startupMs)',
        milliseconds('--startup-timeout'),
      )
      .option(
        '--shutdown-timeout <ms>',
        'time each plugin gets to stop, in milliseconds (over timeouts.shutdownMs)',
        milliseconds('--shutdown-timeout'),
      )
      .option(
        '--health-timeout <ms>',
        'time each health check gets, in milliseconds (over timeouts.healthMs)',
        milliseconds('--health-timeout'),
      );

  common(program.command('list').description('list the discovered plugins and discovery issues'))
    .option('--type <type>', 'only plugins of this type (floe.computes, Compute, ...)')
    .action((opts) => run(() => commands.list().listCommand(opts, output))());
  common(
    program
      .command('info')
      .argument('<key>', 'the plugin key (floe.computes:duckdb), or a name only one plugin has (duckdb)')
      .description('describe one plugin'),
  )
    .option('--config <file>', 'the platform configuration file (default: floe.config.* in the root)')
    .action((key: string, opts) => run(() => commands.info().infoCommand(key, opts, output))());
  common(program.command('graph').description('print the dependency graph'))
    .addOption(
      new Option('--format <format>', 'the output format (default: mermaid)').choices([
        'mermaid',
        'dot',
        'json',
        'svg',
      ]),
    )
    .option('--out <file>', 'write the graph into this file instead of stdout')
    .action((opts) => run(() => commands.graph().graphCommand(opts, output))());
  const create = program.command('new').description('create a floe package').exitOverride();
  create
    .command('plugin')
    .description('write a plugin package that builds and passes its own test')
    .argument('<type>', 'the plugin type: floe.computes, Compute, ...')
    .argument('<name>', 'the plugin name, such as duckdb')
    .option('--dir <dir>', 'the folder to write it in (default: floe-plugin-NAME)')
    .option('--esm', 'make it an ES module package')
    .option('--json', 'print what was written as JSON on stdout')
    .option('--verbose', 'show the stack and cause chain of each failure (also FLOE_VERBOSE=1)')
    .exitOverride()
    .action((type: string, name: string, opts) =>
      run(() => commands.newPlugin().newPluginCommand(type, name, opts, output))(),
    );
  common(program.command('schema').description('print the JSON Schema of the platform config file'))
    .option('--out <file>', 'write the schema into this file instead of stdout')
    .action((opts) => run(() => commands.schema().schemaCommand(opts, output))());
  timeouts(
    common(
      program
        .command('check')
        .description('check discovery, imports, versions, config and dependencies; start nothing'),
    ),
  )
    .option('--config <file>', 'the platform configuration file (default: floe.config.* in the root)')
    .action((opts) => run(() => commands.check().checkCommand(opts, output))());
  timeouts(
    common(
      program
        .command('doctor')
        .description('check, then start every plugin, check health, shut down, and report timings'),
    ),
  )
    .option('--config <file>', 'the platform configuration file (default: floe.config.* in the root)')
    .action((opts) => run(() => commands.doctor().doctorCommand(opts, output))());
  timeouts(
    common(
      program
        .command('serve')
        .description(
          'start every plugin and serve /livez, /readyz, /healthz and a console at / until SIGTERM or SIGINT',
        ),
    ),
  )
    .option('--port <port>', 'the port to listen on (0: a free one)', port, 8080)
    .option('--host <host>', 'the address to listen on', '127.0.0.1')
    .option('--config <file>', 'the platform configuration file (default: floe.config.* in the root)')
    .option(
      '--watch',
      'apply the configuration file live each time it changes, and refresh the plugins when node_modules changes',
    )
    .option(
      '--settle <ms>',
      'with --watch: how long node_modules must stay quiet before a refresh, in milliseconds (default 1000)',
      milliseconds('--settle'),
    )
    .option(
      '--drain <ms>',
      'on SIGTERM or SIGINT, how long readiness is 503 before plugins stop (over timeouts.drainMs)',
      milliseconds('--drain', 0),
    )
    .option('--no-console', 'serve only the probes: no console at / (nor /status.json, /graph.svg)')
    .action((opts) => run(() => commands.serve().serveCommand(opts, output, context.signals))());

  // With --json, stdout carries JSON even when the command fails, and only that: plugins that write to
  // stdout (console.log) are sent to stderr while the command runs.
  const restoreStdout = json && destination === standardOutput ? routeStdoutToStderr() : () => undefined;
  const fail = (exit: number, code: string, message: string, error?: unknown): number => {
    const detail = error === undefined ? {} : problemOf(error);
    if (json) output.out(JSON.stringify({ ok: false, error: { ...detail, code, message } }, null, 2));
    return exit;
  };
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (isInstance(error, CommanderError)) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0)
        return 0;
      return fail(2, 'USAGE', error.message);
    }
    if (isInstance(error, UsageError)) {
      output.err(`floe: ${error.message}`);
      return fail(2, error.code, error.message);
    }
    if (PluginError.is(error)) {
      output.err(`floe: ${error.code}: ${error.message}${failureDetail(error)}`);
      return fail(1, error.code, error.message, error);
    }
    output.err(`floe: unexpected error: ${messageOf(error)}${failureDetail(error)}`);
    return fail(1, 'UNEXPECTED_ERROR', messageOf(error), error);
  } finally {
    output.progress?.stop();
    restoreStdout();
    setVerbose(false);
  }
}

/** Sends what is written to stdout to stderr instead, until the returned function is called. */
export function routeStdoutToStderr(): () => void {
  const original = process.stdout.write;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
    (process.stderr.write as (...args: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
  return () => {
    process.stdout.write = original;
  };
}

/*
 * Each command's module is loaded when the command runs: `floe list` reads package.json files only, and must
 * not pay for loading the container, the validators and the servers the other commands need.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see above */
const commands = {
  check: () => require('./commands/check') as typeof Check,
  doctor: () => require('./commands/doctor') as typeof Doctor,
  graph: () => require('./commands/graph') as typeof Graph,
  info: () => require('./commands/info') as typeof Info,
  list: () => require('./commands/list') as typeof List,
  newPlugin: () => require('./commands/new-plugin') as typeof NewPlugin,
  schema: () => require('./commands/schema') as typeof Schema,
  serve: () => require('./commands/serve') as typeof Serve,
};
/* eslint-enable @typescript-eslint/no-require-imports */

// instanceof runs a Proxy's getPrototypeOf trap: a thrown Proxy whose traps throw is simply not an instance.
function isInstance<T>(value: unknown, cls: abstract new (...args: never[]) => T): value is T {
  try {
    return value instanceof cls;
  } catch {
    return false;
  }
}

function version(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- read at run time from the installed package
  return (require('../../package.json') as { version: string }).version;
}
