import { isPluginType } from '../plugin-type';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

/** Tells whether a string is a valid plugin name: letters, digits, `_` and `-`, starting with a letter or digit. */
export function isValidPluginName(name: unknown): name is string {
  return typeof name === 'string' && NAME.test(name);
}

/** Tells whether a string is a usable `dependsOn` entry: a plugin name or a `group:name` key. */
export function isDependencyReference(entry: unknown): entry is string {
  if (typeof entry !== 'string') return false;
  const colon = entry.lastIndexOf(':');
  if (colon === -1) return isValidPluginName(entry);
  return isPluginType(entry.slice(0, colon)) && isValidPluginName(entry.slice(colon + 1));
}
