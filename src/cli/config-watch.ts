import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadPlatformConfig } from '../config/platform-config';
import { messageOf } from '../errors';
import type { PluginRegistry } from '../registry/plugin-registry';
import { failureDetail, formatProblems, problemOf, type Output } from './output';

const SETTLE_MS = 100;

/**
 * Applies a config file live each time it is saved (`floe serve --watch`): the file is the whole desired
 * state, so a section or default removed from it returns to its defaults, and once a change is applied every
 * expected plugin that is not live starts again, so fixing a bad setting heals the platform. A file that
 * does not parse or validate is reported and changes nothing. Saves in quick succession are applied once,
 * one change at a time.
 *
 * @returns a function that stops watching.
 */
export function watchConfig(file: string, registry: PluginRegistry, output: Output): () => void {
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve();
  const apply = async () => {
    try {
      const report = await registry.applyConfig(loadPlatformConfig(file), { live: true });
      const changes = [
        ...(report.restarted.length === 0 ? [] : [`restarted ${report.restarted.join(', ')}`]),
        ...(report.started.length === 0 ? [] : [`started ${report.started.join(', ')}`]),
      ];
      if (report.rolledBack) output.err(`applied ${file}, but it failed to start and was rolled back:`);
      else output.err(`applied ${file}${changes.length === 0 ? '' : `: ${changes.join('; ')}`}`);
      if (report.failed.length > 0)
        output.err(formatProblems(report.failed.map(({ key, error }) => problemOf(error, key))));
    } catch (error) {
      // A ConfigFileError's message starts with file:line:column, a PlatformConfigError's names each line.
      output.err(`not applied, nothing changed: ${messageOf(error)}${failureDetail(error)}`);
    }
  };
  // Editors replace files by renaming: watch the folder, and look at this file's name only.
  const watcher = fs.watch(path.dirname(file), (_event, name) => {
    if (name !== null && name !== path.basename(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(apply);
    }, SETTLE_MS);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}
