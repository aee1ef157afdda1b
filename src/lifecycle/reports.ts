/** When one plugin's startup began and ended, in ms from the start of the run. */
export interface StartupTiming {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly durationMs: number;
}

/** What `startAll` did; it never throws for a failing plugin. */
export interface StartupReport {
  /** False when anything failed or was skipped. */
  readonly ok: boolean;
  /** The plugins live at the end, in the order they became live. */
  readonly started: string[];
  readonly failed: { key: string; error: unknown }[];
  /** Plugins not started because a plugin they depend on, directly or not, failed; `blockedBy` names it. */
  readonly skipped: { key: string; blockedBy: string }[];
  readonly durationMs: number;
  /** Per plugin started (or failed) by this run. */
  readonly timings: Record<string, StartupTiming>;
  /** The chain of plugins that determined the total duration, root first. */
  readonly criticalPath: string[];
}

/** What `reconfigure` (or a live `applyConfig`) did. */
export interface ReconfigureReport {
  /** False when anything failed to stop or start (then the old settings are back), or was cancelled. */
  readonly ok: boolean;
  /** The plugins stopped and started again that are live at the end, in the order they went live. */
  readonly restarted: string[];
  /** True when the new settings failed to start and the old ones were put back. */
  readonly rolledBack: boolean;
  readonly failed: { key: string; error: unknown }[];
}
