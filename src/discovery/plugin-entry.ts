import type { PluginType } from '../plugin-type';

/** A plugin announced in a package.json, before anything is imported. */
export interface PluginEntry {
  readonly key: string;
  readonly type: PluginType;
  readonly name: string;
  /** The package's `name`, or its folder name when it has none. */
  readonly packageName: string;
  /** The package's own `version`, when it has one. */
  readonly packageVersion?: string;
  /** The package's folder with symlinks resolved: the module must lie inside it. */
  readonly packageDir: string;
  /** The package.json the entry came from. */
  readonly manifestPath: string;
  /** The entry point as written, such as `'./dist/duckdb.js#DuckDBPlugin'`. */
  readonly target: string;
  /** The module path from the target, relative to the package. */
  readonly modulePath: string;
  /** The named export holding the class; `undefined` for the default export. */
  readonly exportName?: string;
  /** Whether `.js` files of the package are ES modules (`"type": "module"`). */
  readonly esm: boolean;
  readonly isProject: boolean;
  /**
   * Set when the entry came from a later scan (registry.refresh): its package's code may have changed on
   * disk since it was first imported, so it is imported anew (see freshImporter), as this generation.
   */
  readonly generation?: number;
}

/** The codes of discovery issues. */
export const DISCOVERY_ISSUE_CODES = Object.freeze([
  'PACKAGE_UNREADABLE',
  'PACKAGE_NOT_A_FILE',
  'PACKAGE_TOO_LARGE',
  'PACKAGE_JSON_INVALID',
  'MANIFEST_INVALID',
  'UNKNOWN_PLUGIN_TYPE',
  'PLUGIN_NAME_INVALID',
  'ENTRY_INVALID',
  'ENTRY_ABSOLUTE',
  'ENTRY_ESCAPES_PACKAGE',
  'PLUGIN_DUPLICATE',
  'DUPLICATE_LIBRARY',
] as const);

/** One problem found while discovering plugins; discovery reports it and goes on. */
export interface DiscoveryIssue {
  /** One of DISCOVERY_ISSUE_CODES. */
  readonly code: (typeof DISCOVERY_ISSUE_CODES)[number];
  readonly packageName?: string;
  /** The file the problem is in (a package.json). */
  readonly path: string;
  readonly message: string;
}
