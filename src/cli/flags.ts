import { UsageError } from './usage-error';

const MAX_TIMER_MS = 2 ** 31 - 1;

/** Parses a milliseconds flag value, `least` or more. @throws UsageError naming the flag. */
export function milliseconds(flag: string, least = 1): (value: string) => number {
  return (value) => {
    const ms = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(ms) || ms < least || ms > MAX_TIMER_MS) {
      throw new UsageError(`${flag} ${value} is not a whole number of milliseconds from ${least} to ${MAX_TIMER_MS}.`);
    }
    return ms;
  };
}

/** Parses a `--port` value. @throws UsageError. */
export function port(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed > 65535)
    throw new UsageError(`--port ${value} is not a port number (0 to 65535).`);
  return parsed;
}
