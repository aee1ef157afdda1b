import { PLUGIN_TYPES } from '../plugin-type';
import type { PluginDescription } from '../registry/reports';

/** The dependency graph as data: an edge `{ from, to }` means `from` depends on `to`. */
export interface GraphData {
  readonly nodes: { key: string; type: string; name: string; state: string; package?: string }[];
  readonly edges: { from: string; to: string }[];
}

/** Builds graph data from plugin descriptions (dependencies must be resolved, so load plugins first). */
export function graphData(plugins: readonly PluginDescription[]): GraphData {
  return {
    nodes: plugins.map((p) => ({
      key: p.key,
      type: p.type,
      name: p.name,
      state: p.state,
      ...(p.packageName === undefined ? {} : { package: p.packageName }),
    })),
    edges: plugins.flatMap((p) => (p.dependencies ?? []).map((to) => ({ from: p.key, to }))),
  };
}

/** Graphviz DOT: one cluster per plugin type, an arrow from each plugin to what it depends on. */
export function toDot(graph: GraphData): string {
  const lines = ['digraph floe {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  PLUGIN_TYPES.forEach((type, i) => {
    const nodes = graph.nodes.filter((n) => n.type === type);
    if (nodes.length === 0) return;
    lines.push(`  subgraph cluster_${i} {`, `    label=${quote(type)};`);
    for (const node of nodes)
      lines.push(
        `    ${quote(node.key)} [label=${quote(`${node.name}\n${node.state}`)}${node.state === 'failed' ? ', color=red' : ''}];`,
      );
    lines.push('  }');
  });
  for (const edge of graph.edges) lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)};`);
  lines.push('}');
  return lines.join('\n');
}

/** Mermaid flowchart (renders in Markdown viewers): an arrow from each plugin to what it depends on. */
export function toMermaid(graph: GraphData): string {
  const ids = new Map(graph.nodes.map((node, i) => [node.key, `p${i}`]));
  const lines = ['flowchart LR'];
  for (const node of graph.nodes) lines.push(`  ${ids.get(node.key)}["${node.key}"]`);
  for (const edge of graph.edges) lines.push(`  ${ids.get(edge.from)} --> ${ids.get(edge.to)}`);
  const failed = graph.nodes.filter((n) => n.state === 'failed').map((n) => ids.get(n.key));
  if (failed.length > 0)
    lines.push('  classDef failed stroke:#d00,stroke-width:2px', `  class ${failed.join(',')} failed`);
  return lines.join('\n');
}

function quote(text: string): string {
  return JSON.stringify(text);
}
