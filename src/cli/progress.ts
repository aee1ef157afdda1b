import type { Logger } from 'winston';
import { monotonicMs } from '../clock';
import { tapEvents } from '../logging';

// What each event says about a plugin: what it is now doing, or that it is done with it.
const BEGINS: Record<string, string> = {
  'plugin.loading': 'loading',
  'plugin.starting': 'starting',
  'plugin.health_checking': 'checking',
  'plugin.stopping': 'stopping',
};
const ENDS = new Set([
  'plugin.loaded',
  'plugin.load_failed',
  'plugin.started',
  'plugin.startup_failed',
  'plugin.startup_timeout',
  'plugin.health_checked',
  'plugin.stopped',
  'plugin.shutdown_failed',
]);
const SHOWN = 3;
const REFRESH_MS = 250;

/**
 * A status line on a terminal's stderr while a long command works: which plugins are loading, starting,
 * being checked or stopping, and for how long, so that a hang is visible while it happens. It reads the
 * registry's log events; `stop` clears the line.
 */
export class Progress {
  private readonly active = new Map<string, { doing: string; since: number }>();
  private timer?: NodeJS.Timeout;
  private shown = false;

  constructor(
    private readonly write: (text: string) => void,
    private readonly now: () => number = monotonicMs,
  ) {}

  /**
   * A logger for the registry: it feeds this progress and passes every entry on to `inner` (which decides
   * itself what it writes).
   */
  logger(inner: Logger): Logger {
    return tapEvents(inner, (event, plugin) => this.event(event, plugin));
  }

  /** Takes one event of the registry's log. */
  event(event: string | undefined, plugin: string | undefined): void {
    if (event === undefined || plugin === undefined) return;
    const doing = BEGINS[event];
    if (doing !== undefined) this.active.set(plugin, { doing, since: this.now() });
    else if (ENDS.has(event)) this.active.delete(plugin);
    else return;
    this.render();
  }

  /** Clears the status line and stops refreshing it. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    if (this.shown) this.write('\r\u001b[K');
    this.shown = false;
  }

  private render(): void {
    if (this.active.size === 0) {
      this.stop();
      return;
    }
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.render(), REFRESH_MS);
      // Never what keeps the process alive.
      this.timer.unref();
    }
    const now = this.now();
    const entries = [...this.active].sort(([, a], [, b]) => a.since - b.since);
    const parts = entries
      .slice(0, SHOWN)
      .map(([plugin, { doing, since }]) => `${doing} ${plugin} (${((now - since) / 1000).toFixed(1)} s)`);
    const more = entries.length > SHOWN ? `, +${entries.length - SHOWN} more` : '';
    this.write(`\r\u001b[K… ${parts.join(', ')}${more}`);
    this.shown = true;
  }
}
