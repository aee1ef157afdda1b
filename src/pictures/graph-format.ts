import { PLUGIN_TYPES } from '../plugin-type';
import type { PluginDescription } from '../registry/reports';

/** One plugin, or (`missing: true`) a dependency that names no known plugin. */
export interface GraphNode {
  readonly key: string;
  readonly type?: string;
  readonly name?: string;
  readonly state?: string;
  readonly package?: string;
  readonly missing?: true;
}

/** `from` depends on `to`; `missing` when `to` is not known, `cycle` when the edge lies on a cycle. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly missing?: true;
  readonly cycle?: true;
}

/** The dependency graph as data. */
export interface GraphData {
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
  /** The cycles, each a closed path of keys (first key repeated last). */
  readonly cycles: string[][];
}

/**
 * Builds graph data from plugin descriptions (load plugins first, so their dependencies are known): missing
 * dependencies become nodes of their own, and edges on a cycle are marked.
 */
export function graphData(plugins: readonly PluginDescription[]): GraphData {
  const nodes: GraphNode[] = plugins.map((p) => ({
    key: p.key,
    type: p.type,
    name: p.name,
    state: p.state,
    ...(p.packageName === undefined ? {} : { package: p.packageName }),
  }));
  const edges: { from: string; to: string; missing?: true; cycle?: true }[] = [];
  const missingNodes = new Set<string>();
  for (const p of plugins) {
    for (const to of p.dependencies ?? []) edges.push({ from: p.key, to });
    for (const reference of p.missing ?? []) {
      const key = `missing:${reference}`;
      if (!missingNodes.has(key)) {
        missingNodes.add(key);
        nodes.push({ key, name: reference, missing: true });
      }
      edges.push({ from: p.key, to: key, missing: true });
    }
  }
  const cycles = findCycles(plugins);
  const onCycle = new Set(cycles.flatMap((cycle) => cycle.slice(1).map((to, i) => `${cycle[i]}\u0000${to}`)));
  for (const edge of edges) if (onCycle.has(`${edge.from}\u0000${edge.to}`)) edge.cycle = true;
  return { nodes, edges, cycles };
}

/**
 * One cycle per group of plugins that reach each other (Tarjan's strongly connected components), as a
 * closed path from its smallest key. Iterative, so a long chain cannot exhaust the stack.
 */
export function findCycles(plugins: readonly PluginDescription[]): string[][] {
  const deps = new Map(plugins.map((p) => [p.key, (p.dependencies ?? []).filter((d) => d !== p.key)]));
  const selfLoops = plugins.filter((p) => (p.dependencies ?? []).includes(p.key)).map((p) => [p.key, p.key]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  for (const root of [...deps.keys()].sort()) {
    if (index.has(root)) continue;
    const work: { key: string; next: number }[] = [{ key: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const targets = deps.get(frame.key) ?? [];
      if (frame.next < targets.length) {
        const to = targets[frame.next++];
        if (!deps.has(to)) continue;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ key: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.key, Math.min(low.get(frame.key) as number, index.get(to) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined)
        low.set(parent.key, Math.min(low.get(parent.key) as number, low.get(frame.key) as number));
      if (low.get(frame.key) === index.get(frame.key)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.key);
        if (group.length > 1) groups.push(group);
      }
    }
  }
  return [...selfLoops, ...groups.map((group) => cyclePath(group, deps))];
}

// The shortest closed path through a group of plugins that reach each other, from its smallest key.
function cyclePath(group: string[], deps: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(group);
  const start = [...group].sort()[0];
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const current = queue[i];
    for (const next of [...(deps.get(current) ?? [])].sort()) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let step = current; step !== start; step = cameFrom.get(step) as string) path.splice(1, 0, step);
        return [...path, start];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, current);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/**
 * Graphviz DOT: one cluster per plugin type, an arrow from each plugin to what it depends on; a missing
 * dependency is a dashed node, and an edge on a cycle is red and labelled.
 */
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
  for (const node of graph.nodes.filter((n) => n.missing === true))
    lines.push(`  ${quote(node.key)} [label=${quote(`${node.name}\n(missing)`)}, style=dashed, color=red];`);
  for (const edge of graph.edges) {
    const style =
      edge.missing === true ? ' [style=dashed, color=red]' : edge.cycle === true ? ' [color=red, label="cycle"]' : '';
    lines.push(`  ${quote(edge.from)} -> ${quote(edge.to)}${style};`);
  }
  lines.push('}');
  return lines.join('\n');
}

/**
 * Mermaid flowchart (renders in Markdown viewers): an arrow from each plugin to what it depends on; a missing
 * dependency is a dashed node reached by a dotted arrow, and an edge on a cycle is labelled and red.
 */
export function toMermaid(graph: GraphData): string {
  const ids = new Map(graph.nodes.map((node, i) => [node.key, `p${i}`]));
  const lines = ['flowchart LR'];
  for (const node of graph.nodes) {
    lines.push(
      node.missing === true
        ? `  ${ids.get(node.key)}["${node.name} (missing)"]`
        : `  ${ids.get(node.key)}["${node.key}"]`,
    );
  }
  const cycleLinks: number[] = [];
  graph.edges.forEach((edge, i) => {
    const arrow = edge.missing === true ? '-.->' : edge.cycle === true ? '-- cycle -->' : '-->';
    if (edge.cycle === true) cycleLinks.push(i);
    lines.push(`  ${ids.get(edge.from)} ${arrow} ${ids.get(edge.to)}`);
  });
  const failed = graph.nodes.filter((n) => n.state === 'failed').map((n) => ids.get(n.key));
  if (failed.length > 0)
    lines.push('  classDef failed stroke:#d00,stroke-width:2px', `  class ${failed.join(',')} failed`);
  const missing = graph.nodes.filter((n) => n.missing === true).map((n) => ids.get(n.key));
  if (missing.length > 0)
    lines.push('  classDef missing stroke:#d00,stroke-dasharray:5 5', `  class ${missing.join(',')} missing`);
  if (cycleLinks.length > 0) lines.push(`  linkStyle ${cycleLinks.join(',')} stroke:#d00,stroke-width:2px`);
  return lines.join('\n');
}

function quote(text: string): string {
  return JSON.stringify(text);
}
