/**
 * The plain object `Object.fromEntries` makes from key/value pairs, made at about half its cost for the
 * hundreds of plugin keys a report can hold: it starts as a null-prototype object, which V8 keeps as a
 * dictionary from the first key (rather than making a hidden class per key and then giving up on them),
 * and gets the usual prototype once filled. Keys become own data properties, `__proto__` included.
 */
export function plainRecord<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const record = Object.create(null) as Record<string, V>;
  for (const [key, value] of entries) record[key] = value;
  return Object.setPrototypeOf(record, Object.prototype) as Record<string, V>;
}
