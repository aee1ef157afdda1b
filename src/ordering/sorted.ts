/** Whether `items` are in ascending order of `rank` (ties allowed): one pass, to skip a sort that is not needed. */
export function isSortedBy<T>(items: readonly T[], rank: (item: T) => number): boolean {
  for (let i = 1; i < items.length; i++) if (rank(items[i - 1]) > rank(items[i])) return false;
  return true;
}
