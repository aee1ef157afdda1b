import * as fs from 'node:fs';
import * as path from 'node:path';
import { messageOf } from '../errors';
import type { PluginRegistry } from '../registry/plugin-registry';
import { formatProblems, problemOf, type Output } from './output';

/** How long node_modules must stay quiet before a refresh: an `npm install` writes for a while. */
export const MODULES_SETTLE_MS = 1_000;

/**
 * Refreshes the registry when the root's `node_modules` changes (`floe serve --watch`): packages installed,
 * removed or upgraded. It watches `node_modules` itself and its `@scope` folders, not every file below them:
 * npm adds, removes and replaces a package as a whole folder there, and rewrites
 * `node_modules/.package-lock.json` at the end of every install, so these few folders see every change
 * (Node's own `fs.watch`, no watcher dependency: a recursive watch of a large node_modules would hold
 * thousands of inotify watches). Changes are debounced (`settleMs` of quiet, so an install of thousands of
 * files is one refresh, after it settles), refreshes never overlap, and one missed while another ran runs
 * after it. A root without node_modules is watched for it to appear.
 *
 * @returns a function that stops watching.
 */
export function watchModules(
  root: string,
  registry: PluginRegistry,
  output: Output,
  settleMs: number = MODULES_SETTLE_MS,
): () => void {
  const modules = path.join(root, 'node_modules');
  const watchers = new Map<string, fs.FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;

  const refresh = async (): Promise<void> => {
    try {
      const report = await registry.refresh();
      const changes = [
        ...(report.added.length === 0 ? [] : [`added ${report.added.join(', ')}`]),
        ...(report.removed.length === 0 ? [] : [`removed ${report.removed.join(', ')}`]),
        ...(report.updated.length === 0 ? [] : [`updated ${report.updated.join(', ')}`]),
        ...(report.restarted.length === 0 ? [] : [`restarted ${report.restarted.join(', ')}`]),
      ];
      if (changes.length > 0 || report.failed.length > 0)
        output.err(`node_modules changed: ${changes.length === 0 ? 'nothing applied' : changes.join('; ')}`);
      if (report.failed.length > 0)
        output.err(formatProblems(report.failed.map(({ key, error }) => problemOf(error, key))));
    } catch (error) {
      output.err(`node_modules changed, but the refresh failed: ${messageOf(error)}`);
    }
  };
  const run = (): void => {
    if (stopped) return;
    if (running !== undefined) {
      again = true;
      return;
    }
    running = refresh().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        run();
      }
    });
  };
  // A change of node_modules itself or of a scope folder changes what to watch; one inside a package
  // folder does not (an install makes thousands: the folders are not listed again for each).
  const changed = (dir: string, name: string | null): void => {
    if (dir === root || name === null || name.startsWith('@')) sync();
    clearTimeout(timer);
    timer = setTimeout(run, settleMs);
  };
  const watch = (dir: string): void => {
    if (watchers.has(dir)) return;
    try {
      // In the root, only node_modules itself matters (not a config file saved, nor logs written).
      const watcher = fs.watch(dir, (_event, name) => {
        if (dir !== root || name === null || name === 'node_modules') changed(dir, name);
      });
      watcher.on('error', () => {
        watcher.close();
        watchers.delete(dir);
      });
      watchers.set(dir, watcher);
    } catch {
      // The folder went away (or was never there): the next change of its parent looks again.
    }
  };
  // The folders to watch now: the root, node_modules and its @scope folders.
  const sync = (): void => {
    if (stopped) return;
    const wanted = new Set([root]);
    if (fs.statSync(modules, { throwIfNoEntry: false })?.isDirectory() === true) {
      wanted.add(modules);
      for (const entry of fs.readdirSync(modules, { withFileTypes: true }))
        if (entry.name.startsWith('@') && entry.isDirectory()) wanted.add(path.join(modules, entry.name));
    }
    for (const [dir, watcher] of watchers) {
      if (!wanted.has(dir)) {
        watcher.close();
        watchers.delete(dir);
      }
    }
    for (const dir of wanted) watch(dir);
  };
  sync();
  return () => {
    stopped = true;
    clearTimeout(timer);
    for (const watcher of watchers.values()) watcher.close();
    watchers.clear();
  };
}
