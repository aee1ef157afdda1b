import { PluginError } from '../../src';

/** The PluginError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function rejection<T extends PluginError = PluginError>(promise: Promise<unknown>): Promise<T> {
  try {
    await promise;
  } catch (error) {
    if (PluginError.is(error)) return error as T;
    throw error;
  }
  throw new Error('expected a rejection with a PluginError');
}

/** The PluginError a function throws; fails the test when it returns or throws anything else. */
export function thrown<T extends PluginError = PluginError>(fn: () => unknown): T {
  try {
    fn();
  } catch (error) {
    if (PluginError.is(error)) return error as T;
    throw error;
  }
  throw new Error('expected a PluginError to be thrown');
}
