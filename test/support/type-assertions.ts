/** Compile-time assertions: a failing one is a type error, so `npm run typecheck` (and ts-jest) reject it. */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
export type Expect<T extends true> = T;

/** Every member of a class instance, methods mapped to their parameter count (a union when some are optional). */
export type Shape<T> = {
  -readonly [K in keyof T]: T[K] extends (...args: infer P) => unknown ? P['length'] : 'property';
};

/** Flattens an intersection so that it compares equal to the same members written as one object type. */
export type Simplify<T> = { [K in keyof T]: T[K] };
