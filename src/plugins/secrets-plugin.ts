import { PluginMetadata } from '../plugin/plugin-metadata';
import { PluginType } from '../plugin-type';
import { unsupportedOperation, type MaybePromise } from './common';

/**
 * A credential store (HashiCorp Vault, AWS Secrets Manager, Kubernetes secrets, environment variables, ...).
 */
export abstract class SecretsPlugin extends PluginMetadata {
  /** The plugin type every subclass must declare in `@FloePlugin`. */
  static readonly pluginType = PluginType.Secrets;

  /** Returns the secret stored under `key` (`'database/password'`), or `undefined` when there is none. */
  abstract getSecret(key: string): MaybePromise<string | undefined>;

  /** Creates or replaces the secret under `key`, with optional metadata. */
  abstract setSecret(key: string, value: string, metadata?: Record<string, unknown>): MaybePromise<void>;

  /** Lists the keys of stored secrets, only those starting with `prefix` when given. */
  abstract listSecrets(prefix?: string): MaybePromise<string[]>;

  /** Returns the pod spec fragment that injects a Kubernetes Secret as environment variables. */
  generatePodEnvSpec(secretName: string): Record<string, unknown> {
    return { envFrom: [{ secretRef: { name: secretName } }] };
  }

  /** Returns every key and value of a multi-key secret; throws OPERATION_UNSUPPORTED unless the backend overrides it. */
  getMultiKeySecret(name: string): MaybePromise<Record<string, string>> {
    throw unsupportedOperation(this.name, `multi-key secrets (asked for "${name}")`);
  }
}
