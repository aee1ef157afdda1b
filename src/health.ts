/** How a plugin reports on itself. */
export enum HealthState {
  Healthy = 'healthy',
  Degraded = 'degraded',
  Unhealthy = 'unhealthy',
}

/** A plugin's answer to a health check. */
export interface HealthStatus {
  state: HealthState;
  message: string;
  details: Record<string, unknown>;
}

const STATES: ReadonlySet<unknown> = new Set(Object.values(HealthState));

/** Tells whether a value is a well-formed HealthStatus: a known state, a string message, a plain details object. */
export function isHealthStatus(value: unknown): value is HealthStatus {
  if (typeof value !== 'object' || value === null) return false;
  const status = value as Partial<HealthStatus>;
  return (
    STATES.has(status.state) &&
    typeof status.message === 'string' &&
    typeof status.details === 'object' &&
    status.details !== null &&
    !Array.isArray(status.details)
  );
}

/** The status of a plugin that does not override its health check. */
export function healthy(message = '', details: Record<string, unknown> = {}): HealthStatus {
  return { state: HealthState.Healthy, message, details };
}
