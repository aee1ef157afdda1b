import { monotonicMs } from '../clock';
import type { HealthStatus } from '../health';
import type { PluginInfo } from '../lifecycle/plugin-life';
import { parsePluginKey, type PluginType } from '../plugin-type';
import { graphData, type GraphData } from '../pictures/graph-format';
import type { PluginRegistry } from '../registry/plugin-registry';
import type { StartupReport } from '../registry/reports';
import { PluginError } from '../errors';

/** One plugin as the console shows it. */
export interface ConsolePlugin {
  readonly key: string;
  readonly type: string;
  readonly name: string;
  readonly version?: string;
  readonly state: string;
  /** Asked to be live (by the startup, or a later start). */
  readonly expected: boolean;
  /** Why it is not live, as an error code, when that is known. */
  readonly reason?: string;
  readonly blockedBy?: string;
  /** The error behind `reason`, in one line. */
  readonly error?: string;
  /** Its last health check, when it was live then. */
  readonly health?: { readonly state: string; readonly message: string };
}

/** One plugin's bar in the timeline: ms from the start of the run; `endMs` absent while it is starting. */
export interface TimelineBar {
  readonly key: string;
  readonly startMs: number;
  readonly endMs?: number;
  readonly outcome: 'starting' | 'started' | 'failed';
}

/** The last startup, or the one in progress. */
export interface ConsoleStartup {
  readonly running: boolean;
  /** When it began (ISO 8601). */
  readonly startedAt: string;
  /** How long it took, or has taken so far. */
  readonly durationMs: number;
  readonly bars: readonly TimelineBar[];
  /** The chain of plugins that determined its duration, root first (once it has finished). */
  readonly criticalPath: readonly string[];
}

/** What `GET /status.json` holds, and what the console draws. */
export interface ConsoleStatus {
  readonly generatedAt: string;
  readonly phase: string;
  readonly plugins: readonly ConsolePlugin[];
  /** The dependency graph; `graphVersion` changes when its shape does (not when a state changes). */
  readonly graph: Omit<GraphData, 'cycles'>;
  readonly graphVersion: number;
  /** When the health shown was checked (ISO 8601), if it was. */
  readonly healthCheckedAt?: string;
  readonly startup?: ConsoleStartup;
}

/** Options of the console's state. */
export interface ConsoleStateOptions {
  /** How old a health check may be before a status request starts a new one (default 5 s). */
  readonly healthMaxAgeMs?: number;
  /** Milliseconds on a monotonic clock (tests pass their own). */
  readonly now?: () => number;
  /** The wall clock, for the ISO times shown. */
  readonly wallClock?: () => number;
}

interface Run {
  readonly began: number;
  readonly startedAt: number;
  readonly bars: Map<string, { startMs: number; endMs?: number; outcome: TimelineBar['outcome'] }>;
  ended?: { durationMs: number; criticalPath: readonly string[] };
}

const BEGIN = 'plugin.starting';
const OUTCOMES: Record<string, TimelineBar['outcome']> = {
  'plugin.started': 'started',
  'plugin.startup_failed': 'failed',
  'plugin.startup_timeout': 'failed',
};

/**
 * What the console of `floe serve` shows, kept by the server without any state per viewer: plugins and their
 * states read from the registry when asked, the dependency graph (built again only when its shape changes),
 * health checked at most once per `healthMaxAgeMs` and only while someone looks, and the last startup's
 * timeline, followed live through the registry's log events and made exact by its report. Its memory is
 * bounded by the number of plugins, however long a console stays open.
 */
export class ConsoleState {
  private run?: Run;
  private graph?: { signature: string; data: Omit<GraphData, 'cycles'>; version: number };
  private health?: { at: number; wall: number; statuses: Record<string, HealthStatus> };
  private checking?: Promise<void>;
  private readonly now: () => number;
  private readonly wallClock: () => number;
  private readonly healthMaxAgeMs: number;

  constructor(
    private readonly registry: PluginRegistry,
    options: ConsoleStateOptions = {},
  ) {
    this.now = options.now ?? monotonicMs;
    this.wallClock = options.wallClock ?? Date.now;
    this.healthMaxAgeMs = options.healthMaxAgeMs ?? 5_000;
  }

  /** Takes one event of the registry's log (see `tapEvents`): starts and ends of plugins during a run. */
  event(event: string, plugin: string): void {
    const run = this.run;
    if (run === undefined || run.ended !== undefined) return;
    if (event === BEGIN) {
      run.bars.set(plugin, { startMs: this.now() - run.began, outcome: 'starting' });
      return;
    }
    const outcome = OUTCOMES[event];
    const bar = run.bars.get(plugin);
    if (outcome !== undefined && bar !== undefined && bar.endMs === undefined) {
      bar.endMs = this.now() - run.began;
      bar.outcome = outcome;
    }
  }

  /** A startup begins: the timeline starts again, and follows it live. */
  startupBegan(): void {
    this.run = { began: this.now(), startedAt: this.wallClock(), bars: new Map() };
  }

  /**
   * The startup ended: its report's timings (ms from the start of the run) replace what the events showed,
   * and its critical path is highlighted. `undefined` when it was refused as a whole (a cycle).
   */
  startupEnded(report: StartupReport | undefined): void {
    const run = this.run;
    if (run === undefined) return;
    if (report !== undefined) {
      const failed = new Set(report.failed.map(({ key }) => key));
      for (const [key, timing] of Object.entries(report.timings)) {
        run.bars.set(key, {
          startMs: timing.startedAt,
          endMs: timing.endedAt,
          outcome: failed.has(key) ? 'failed' : 'started',
        });
      }
    }
    for (const bar of run.bars.values()) {
      if (bar.endMs === undefined) {
        bar.endMs = this.now() - run.began;
        bar.outcome = 'failed';
      }
    }
    run.ended = { durationMs: report?.durationMs ?? this.now() - run.began, criticalPath: report?.criticalPath ?? [] };
  }

  /** What the console shows now. Starts a health check when the last one is older than allowed. */
  status(): ConsoleStatus {
    this.refreshHealth();
    const status = this.registry.status();
    const expected = new Map(status.expected.map((plugin) => [plugin.key, plugin]));
    const infos = this.infos();
    const health = this.health?.statuses ?? {};
    const plugins = infos.map((info): ConsolePlugin => {
      const asked = expected.get(info.key);
      const checked = info.state === 'active' ? health[info.key] : undefined;
      return {
        key: info.key,
        type: info.type,
        name: info.name,
        ...(info.version === undefined ? {} : { version: info.version }),
        state: info.state,
        expected: asked !== undefined,
        ...(asked?.reason === undefined ? {} : { reason: asked.reason }),
        ...(asked?.blockedBy === undefined ? {} : { blockedBy: asked.blockedBy }),
        ...(asked?.error === undefined ? {} : { error: oneLine(asked.error) }),
        ...(checked === undefined ? {} : { health: { state: checked.state, message: checked.message } }),
      };
    });
    const graph = this.graphWithStates(infos);
    return {
      generatedAt: new Date(this.wallClock()).toISOString(),
      phase: status.phase,
      plugins,
      graph: { nodes: graph.graph.nodes, edges: graph.graph.edges },
      graphVersion: graph.version,
      ...(this.health === undefined ? {} : { healthCheckedAt: new Date(this.health.wall).toISOString() }),
      ...(this.run === undefined ? {} : { startup: this.startupOf(this.run) }),
    };
  }

  /** The dependency graph with the states of the moment (for the SVG), and its version. */
  graphNow(): { graph: GraphData; version: number } {
    return this.graphWithStates(this.infos());
  }

  private infos(): PluginInfo[] {
    return Object.entries(this.registry.listAll()).flatMap(([type, names]) =>
      names.map((name) => this.registry.info(type as PluginType, name)),
    );
  }

  // The graph's shape (built again only when it changes) with each plugin's state now.
  private graphWithStates(infos: readonly PluginInfo[]): { graph: GraphData; version: number } {
    const graph = this.graphOf(infos.map((info) => `${info.key}@${info.version ?? ''}`).join('\n'));
    const states = new Map(infos.map((info) => [info.key, info.state]));
    const nodes = graph.data.nodes.map((node) =>
      node.missing === true ? node : { ...node, state: states.get(node.key) },
    );
    return { graph: { nodes, edges: graph.data.edges, cycles: [] }, version: graph.version };
  }

  /** Settles when the health check in flight, if any, has. */
  async settled(): Promise<void> {
    await this.checking;
  }

  private startupOf(run: Run): ConsoleStartup {
    const now = this.now() - run.began;
    return {
      running: run.ended === undefined,
      startedAt: new Date(run.startedAt).toISOString(),
      durationMs: round(run.ended?.durationMs ?? now),
      bars: [...run.bars]
        .map(([key, bar]) => ({
          key,
          startMs: round(bar.startMs),
          ...(bar.endMs === undefined ? {} : { endMs: round(bar.endMs) }),
          outcome: bar.outcome,
        }))
        .sort((a, b) => a.startMs - b.startMs || (a.key < b.key ? -1 : 1)),
      criticalPath: run.ended?.criticalPath ?? [],
    };
  }

  // The graph's shape changes with the catalog and with classes being loaded (their dependencies).
  private graphOf(signature: string): { data: Omit<GraphData, 'cycles'>; version: number } {
    if (this.graph?.signature === signature) return this.graph;
    const described =
      signature === '' ? [] : signature.split('\n').map((entry) => entry.slice(0, entry.lastIndexOf('@')));
    const { cycles: _cycles, ...data } = graphData(
      described.map((key) => {
        const { type, name } = parsePluginKey(key);
        return this.registry.describe(type, name);
      }),
    );
    this.graph = { signature, data, version: (this.graph?.version ?? 0) + 1 };
    return this.graph;
  }

  private refreshHealth(): void {
    if (this.checking !== undefined) return;
    if (this.health !== undefined && this.now() - this.health.at < this.healthMaxAgeMs) return;
    if (this.registry.status().phase !== 'running') return;
    this.checking = this.registry
      .healthCheckAll()
      .then(
        (statuses) => {
          this.health = { at: this.now(), wall: this.wallClock(), statuses };
        },
        () => undefined,
      )
      .finally(() => {
        this.checking = undefined;
      });
  }
}

function oneLine(error: unknown): string {
  const message = PluginError.is(error) || error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
