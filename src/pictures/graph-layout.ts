import type { GraphData } from './graph-format';

/** A point of the drawing, in its units (points, y downwards). */
export interface Point {
  readonly x: number;
  readonly y: number;
}

/** Where one node of the graph is drawn: its centre and size. */
export interface NodePlacement {
  readonly key: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * How one edge is drawn: a start point followed by cubic Bézier segments (three points each), and the tip
 * of its arrow; `labelAt` where its label goes, when it has one.
 */
export interface EdgeRoute {
  readonly from: string;
  readonly to: string;
  readonly curve: readonly Point[];
  readonly tip?: Point;
  readonly labelAt?: Point;
}

/** The layered layout of a dependency graph. */
export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly NodePlacement[];
  readonly edges: readonly EdgeRoute[];
}

/** The size of the text the renderer writes in a node: a key, and under it the state (in points). */
export const NODE_FONT = { family: 'Helvetica', keySize: 12, stateSize: 10 } as const;

interface GraphvizJson {
  bb: string;
  objects?: { _gvid: number; name: string; pos?: string; width?: string; height?: string }[];
  edges?: { tail: number; head: number; pos: string; lp?: string }[];
}

interface Viz {
  renderJSON(input: string, options?: { yInvert?: boolean }): object;
}

let viz: Promise<Viz> | undefined;

/**
 * Graphviz (as WebAssembly, from @viz-js/viz), loaded the first time a picture is asked for: no other
 * command pays for it.
 */
function graphviz(): Promise<Viz> {
  viz ??= // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when a picture is drawn
    (require('@viz-js/viz') as { instance(): Promise<Viz> }).instance().catch((error: unknown) => {
      viz = undefined;
      throw error;
    });
  return viz;
}

/** A DOT string literal: quotes and backslashes escaped; `\n` (a real newline in `text`) breaks the line. */
function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/**
 * Lays the graph out in layers with Graphviz's `dot`, left to right (a plugin left of what it depends on),
 * each node as large as its key and state need. Node names given to Graphviz are indices, so keys never
 * reach its parser as syntax.
 */
export async function layoutGraph(graph: GraphData): Promise<GraphLayout> {
  const ids = new Map(graph.nodes.map((node, i) => [node.key, `n${i}`]));
  const lines = [
    'digraph {',
    'rankdir=LR; nodesep=0.25; ranksep=0.7; splines=true; outputorder=edgesfirst;',
    `node [shape=box fontname=${dotString(NODE_FONT.family)} fontsize=${NODE_FONT.keySize} margin="0.14,0.08"];`,
    `edge [fontname=${dotString(NODE_FONT.family)} fontsize=${NODE_FONT.stateSize}];`,
  ];
  graph.nodes.forEach((node, i) => {
    const label = node.missing === true ? `${node.name ?? node.key}\n(missing)` : `${node.key}\n${node.state ?? ''}`;
    lines.push(`n${i} [label=${dotString(label)}];`);
  });
  for (const edge of graph.edges) {
    lines.push(`${ids.get(edge.from)} -> ${ids.get(edge.to)}${edge.cycle === true ? ' [label="cycle"]' : ''};`);
  }
  lines.push('}');
  const json = (await graphviz()).renderJSON(lines.join('\n'), { yInvert: true }) as GraphvizJson;
  // The bounding box "x0,y0,x1,y1" (with yInvert, y0 is the bottom).
  const [x0, y0, x1, y1] = json.bb.split(',').map(Number);
  const width = Math.abs(x1 - x0);
  const height = Math.abs(y1 - y0);
  const byId = new Map<number, string>();
  const nodes: NodePlacement[] = [];
  for (const object of json.objects ?? []) {
    const index = Number(object.name.slice(1));
    const node = graph.nodes[index];
    if (object.pos === undefined || node === undefined) continue;
    byId.set(object._gvid, node.key);
    const [x, y] = object.pos.split(',').map(Number);
    nodes.push({ key: node.key, x, y, width: Number(object.width) * 72, height: Number(object.height) * 72 });
  }
  const edges = (json.edges ?? []).map((edge): EdgeRoute => {
    const parts = edge.pos.split(' ');
    const tip = parts[0].startsWith('e,') ? pointOf((parts.shift() as string).slice(2)) : undefined;
    return {
      from: byId.get(edge.tail) as string,
      to: byId.get(edge.head) as string,
      curve: parts.map(pointOf),
      ...(tip === undefined ? {} : { tip }),
      ...(edge.lp === undefined ? {} : { labelAt: pointOf(edge.lp) }),
    };
  });
  return { width, height, nodes, edges };
}

function pointOf(pair: string): Point {
  const [x, y] = pair.split(',').map(Number);
  return { x, y };
}
