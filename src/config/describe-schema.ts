import { classValidator } from './validation-libraries';
import type { ConfigSchema } from '../plugin/floe-plugin';

/** One setting of a config schema, as `floe info` shows it. */
export interface SettingDescription {
  readonly setting: string;
  /** The default value, or `undefined` when the setting has none. */
  readonly default?: unknown;
  /** The class-validator rules, in declaration order: `isInt`, `min(1)`, `isOptional`, `nested`. */
  readonly rules: string[];
}

/** Lists the settings of a config schema with their defaults and rules, read from class-validator's metadata. */
export function describeSchema(schema: ConfigSchema): SettingDescription[] {
  let defaults: Record<string, unknown> = {};
  try {
    defaults = new schema() as Record<string, unknown>;
  } catch {
    // A schema whose constructor throws has no readable defaults.
  }
  const rules = new Map<string, string[]>();
  const metadata = classValidator().getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  // Decorators run bottom-up: walk backwards to list each property's rules as written.
  for (let i = metadata.length - 1; i >= 0; i--) {
    const { propertyName, name, type, constraints } = metadata[i];
    const rule = name ?? (type === 'nestedValidation' ? 'nested' : type);
    const args = (constraints ?? []).filter((c: unknown) => ['number', 'string', 'boolean'].includes(typeof c));
    const list = rules.get(propertyName) ?? [];
    list.push(args.length > 0 ? `${rule}(${args.map((a: unknown) => JSON.stringify(a)).join(', ')})` : rule);
    rules.set(propertyName, list);
  }
  for (const list of rules.values()) list.sort((a, b) => ruleRank(a) - ruleRank(b));
  const settings = new Set([...Object.keys(defaults), ...rules.keys()]);
  return [...settings].map((setting) => ({
    setting,
    ...(defaults[setting] === undefined ? {} : { default: defaults[setting] }),
    rules: rules.get(setting) ?? [],
  }));
}

// Conditions first (isOptional), then type checks (isInt, isString), then the rest (min, max, nested).
function ruleRank(rule: string): number {
  if (rule === 'isOptional' || rule === 'conditionalValidation' || rule === 'allow' || rule === 'whitelistValidation')
    return 0;
  return /^is[A-Z]/.test(rule) ? 1 : 2;
}
