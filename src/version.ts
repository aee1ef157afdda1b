import type { parse } from 'semver';
import { InvalidVersionError } from './errors';

let semverParse: typeof parse | undefined;

/**
 * semver's `parse`, loaded on first use: only the function needed (the whole of semver costs more to load
 * than floe-core's own code), and not while `require('floe-core')` runs (its regular expressions take a
 * few milliseconds to build).
 */
export function parseSemver(version: string): ReturnType<typeof parse> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a subpath without its own types
  semverParse ??= require('semver/functions/parse') as typeof parse;
  return semverParse(version);
}

/** The plugin API version this release of floe-core provides. */
export const FLOE_PLUGIN_API_VERSION = '1.0';

/** A parsed plugin API version. */
export interface ApiVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

// semver alone would accept a leading "v", "=", surrounding spaces, pre-release and build tags.
const API_VERSION = /^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:\.(?:0|[1-9]\d*))?$/;

/**
 * Parses a plugin API version, `'X.Y'` or `'X.Y.Z'`: digits only, no leading zeros, no spaces.
 *
 * @throws InvalidVersionError for anything else, including non-strings.
 * @example
 * ```ts
 * parseApiVersion('1.2') // { major: 1, minor: 2, patch: 0 }
 * ```
 */
export function parseApiVersion(v: string): ApiVersion {
  const known = typeof v === 'string' ? parsedVersions.get(v) : undefined;
  if (known !== undefined) return known;
  if (typeof v !== 'string' || !API_VERSION.test(v)) throw new InvalidVersionError(v);
  const parsed = parseSemver(v.split('.').length === 2 ? `${v}.0` : v);
  if (parsed === null) throw new InvalidVersionError(v);
  const version = Object.freeze({ major: parsed.major, minor: parsed.minor, patch: parsed.patch });
  // A platform sees a handful of API versions, checked once per plugin and registry: parse each once.
  if (parsedVersions.size >= MAX_PARSED_VERSIONS) parsedVersions.clear();
  parsedVersions.set(v, version);
  return version;
}

const MAX_PARSED_VERSIONS = 256;
const parsedVersions = new Map<string, ApiVersion>();

/**
 * Tells whether a plugin built for `pluginApiVersion` runs on a platform providing `platformApiVersion`:
 * same major, and the plugin's minor no newer than the platform's. Patch is ignored.
 *
 * @throws InvalidVersionError when either version is malformed.
 * @example
 * ```ts
 * isCompatible('1.0', '1.2') // true
 * isCompatible('1.3', '1.2') // false
 * ```
 */
export function isCompatible(pluginApiVersion: string, platformApiVersion: string = FLOE_PLUGIN_API_VERSION): boolean {
  const plugin = parseApiVersion(pluginApiVersion);
  const platform = parseApiVersion(platformApiVersion);
  return plugin.major === platform.major && plugin.minor <= platform.minor;
}
