import Transport from 'winston-transport';
import { createLogger, type Logger } from 'winston';

/** A winston logger that keeps every entry in memory, at every level, for assertions. */
export function memoryLogger(): { logger: Logger; entries: Record<string, unknown>[] } {
  const entries: Record<string, unknown>[] = [];
  const transport = new (class extends Transport {
    override log(info: Record<string, unknown>, next: () => void): void {
      entries.push(info);
      next();
    }
  })();
  return { logger: createLogger({ level: 'silly', transports: [transport] }), entries };
}
