import { PluginError } from '../errors';

/** A command line that cannot be run as written; the CLI prints it and exits with code 2. */
export class UsageError extends PluginError {
  constructor(message: string) {
    super('USAGE', message);
  }
}
