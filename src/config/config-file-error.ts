import { PluginError } from '../errors';

/** What is wrong with a configuration file. */
export type ConfigFileProblem =
  'missing' | 'unreadable' | 'not-a-file' | 'too-large' | 'format' | 'syntax' | 'shape' | 'ambiguous';

/** A platform configuration file that cannot be used; the message starts with `file:line:column` where known. */
export class ConfigFileError extends PluginError {
  readonly line?: number;
  readonly column?: number;

  constructor(
    readonly file: string,
    readonly problem: ConfigFileProblem,
    detail: string,
    options: { line?: number; column?: number; cause?: unknown } = {},
  ) {
    const at =
      options.line === undefined ? '' : `:${options.line}${options.column === undefined ? '' : `:${options.column}`}`;
    super(
      'CONFIG_FILE_INVALID',
      `${file}${at}: ${detail}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    if (options.line !== undefined) this.line = options.line;
    if (options.column !== undefined) this.column = options.column;
  }
}
