import { PluginError } from '../errors';

/** A value a plugin method may return directly or as a Promise; callers always `await` it. */
export type MaybePromise<T> = T | Promise<T>;

/** The workload sizes a platform asks resource requirements for. */
export type WorkloadSize = 'small' | 'medium' | 'large';

/** Kubernetes resource requests and limits, in Kubernetes quantity notation (`'500m'`, `'2Gi'`). */
export interface ResourceSpec {
  cpuRequest: string;
  cpuLimit: string;
  memoryRequest: string;
  memoryLimit: string;
  ephemeralStorageRequest?: string;
  ephemeralStorageLimit?: string;
}

/** The outcome of a connectivity or configuration check, with actionable messages. */
export interface ValidationResult {
  success: boolean;
  message: string;
  errors: string[];
  warnings: string[];
}

/** The error an optional plugin method throws when an implementation does not provide it (code `OPERATION_UNSUPPORTED`). */
export function unsupportedOperation(pluginName: string, operation: string): PluginError {
  return new PluginError(
    'OPERATION_UNSUPPORTED',
    `Plugin "${pluginName}" does not support ${operation}; use a plugin that implements it or override the method.`,
  );
}
