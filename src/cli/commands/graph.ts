import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePluginKey } from '../../plugin-type';
import { graphData, toDot, toMermaid } from '../../pictures/graph-format';
import { graphSvg } from '../../pictures/graph-svg';
import { formatProblems, jsonValue, problemOf, type Output, type Problem } from '../output';
import { openPlatform, pluginKeys } from '../platform';
import { UsageError } from '../usage-error';

/** Options of `floe graph`. */
export interface GraphOptions {
  root?: string;
  json?: boolean;
  format?: string;
  out?: string;
}

export const GRAPH_FORMATS = ['mermaid', 'dot', 'json', 'svg'];

/**
 * `floe graph [--format mermaid|dot|json|svg] [--out FILE]`: the dependency graph of every plugin, on stdout
 * or into FILE. Imports plugins to read their dependencies; one that cannot be imported is drawn without
 * them and its problem printed to stderr. `svg` is a picture laid out by Graphviz (loaded only for it).
 */
export async function graphCommand(options: GraphOptions, output: Output): Promise<number> {
  if (options.json === true && options.format !== undefined && options.format !== 'json')
    throw new UsageError(`--json prints the graph as JSON; it cannot be combined with --format ${options.format}.`);
  const format = options.json === true ? 'json' : (options.format ?? 'mermaid');
  if (!GRAPH_FORMATS.includes(format))
    throw new UsageError(`--format ${format} is not supported; use ${GRAPH_FORMATS.join(', ')}.`);
  const { registry } = openPlatform({ ...(options.root === undefined ? {} : { root: options.root }) });
  const keys = pluginKeys(registry);
  const problems: Problem[] = [];
  for (const key of keys) {
    const { type, name } = parsePluginKey(key);
    await registry.load(type, name).catch((error: unknown) => problems.push(problemOf(error, key)));
  }
  const plugins = keys.map((key) => {
    const { type, name } = parsePluginKey(key);
    return registry.describe(type, name);
  });
  const graph = graphData(plugins);
  for (const p of plugins) {
    if (p.missing !== undefined) {
      problems.push({
        code: 'DEPENDENCY_MISSING',
        plugin: p.key,
        message: `${p.key} depends on ${p.missing.map((m) => `"${m}"`).join(', ')}, which no installed plugin provides.`,
      });
    }
    if (p.dependencyError !== undefined)
      problems.push({
        code: p.dependencyError.code ?? 'UNEXPECTED_ERROR',
        plugin: p.key,
        message: p.dependencyError.message,
      });
  }
  for (const cycle of graph.cycles)
    problems.push({ code: 'DEPENDENCY_CYCLE', message: `Circular dependency: ${cycle.join(' -> ')}.` });
  const { cycles: _cycles, ...drawn } = graph;
  const text =
    format === 'json'
      ? JSON.stringify(jsonValue({ ...drawn, problems }), null, 2)
      : format === 'svg'
        ? await graphSvg(graph)
        : format === 'dot'
          ? toDot(graph)
          : toMermaid(graph);
  if (options.out === undefined) output.out(text);
  else {
    const file = path.resolve(options.out);
    fs.writeFileSync(file, `${text}\n`);
    output.err(`wrote ${file}`);
  }
  if (problems.length > 0 && format !== 'json') output.err(`Problems:\n${formatProblems(problems)}`);
  return 0;
}
