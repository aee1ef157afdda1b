import { Command, CommanderError } from 'commander';
import { PLUGIN_TYPES } from '../plugin-type';

/**
 * Runs the `floe` command with the given arguments (without `node` and the script) and resolves to its exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('floe').exitOverride().option('--json', 'print JSON on stdout');
  program
    .command('list')
    .description('list the installed plugins by type')
    .action(() => {
      const listing = Object.fromEntries(PLUGIN_TYPES.map((type) => [type, [] as string[]]));
      if (program.opts().json === true) process.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
      else for (const type of PLUGIN_TYPES) process.stdout.write(`${type}: (none)\n`);
    });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    throw error;
  }
}
