import type { GraphData, GraphNode } from './graph-format';
import { layoutGraph, NODE_FONT, type EdgeRoute, type GraphLayout, type Point } from './graph-layout';

/** The states a node can be drawn in, in the legend's order, with what each means there. */
export const STATE_LEGEND: readonly (readonly [state: string, meaning: string])[] = [
  ['active', 'active'],
  ['starting', 'starting'],
  ['stopping', 'stopping'],
  ['failed', 'failed'],
  ['stopped', 'stopped'],
  ['loaded', 'loaded'],
  ['discovered', 'discovered'],
];

/** Escapes text for XML and HTML, in content and in quoted attributes alike. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Colours come from CSS variables, so that one picture reads in light and dark mode (and a page may
// restyle it). Every colour is paired with text: the state is written in each node, and the legend names
// each swatch.
const STYLE = `
.floe-graph{--floe-bg:#ffffff;--floe-fg:#1f2328;--floe-muted:#59636e;--floe-edge:#59636e;--floe-bad:#c62828;
--floe-active:#dcfce7;--floe-active-line:#15803d;--floe-starting:#fef9c3;--floe-starting-line:#a16207;
--floe-stopping:#ffedd5;--floe-stopping-line:#c2410c;--floe-failed:#fee2e2;--floe-failed-line:#c62828;
--floe-stopped:#e5e7eb;--floe-stopped-line:#4b5563;--floe-idle:#f3f4f6;--floe-idle-line:#6b7280;
font-family:Helvetica,Arial,sans-serif}
@media (prefers-color-scheme:dark){.floe-graph{--floe-bg:#0d1117;--floe-fg:#e6edf3;--floe-muted:#9198a1;
--floe-edge:#9198a1;--floe-bad:#ff7b72;--floe-active:#0f3d24;--floe-active-line:#3fb950;--floe-starting:#3d3208;
--floe-starting-line:#d29922;--floe-stopping:#3d2008;--floe-stopping-line:#f0883e;--floe-failed:#4a1518;
--floe-failed-line:#ff7b72;--floe-stopped:#262c36;--floe-stopped-line:#9198a1;--floe-idle:#161b22;
--floe-idle-line:#6e7681}}
.floe-graph .background{fill:var(--floe-bg)}
.floe-graph text{fill:var(--floe-fg)}
.floe-graph .node rect,.floe-graph .swatch{fill:var(--floe-idle);stroke:var(--floe-idle-line);stroke-width:1.2}
.floe-graph .node .state{fill:var(--floe-muted)}
.floe-graph .state-active rect,.floe-graph .swatch.state-active{fill:var(--floe-active);stroke:var(--floe-active-line)}
.floe-graph .state-starting rect,.floe-graph .swatch.state-starting{fill:var(--floe-starting);stroke:var(--floe-starting-line)}
.floe-graph .state-stopping rect,.floe-graph .swatch.state-stopping{fill:var(--floe-stopping);stroke:var(--floe-stopping-line)}
.floe-graph .state-failed rect,.floe-graph .swatch.state-failed{fill:var(--floe-failed);stroke:var(--floe-failed-line);stroke-width:2}
.floe-graph .state-stopped rect,.floe-graph .swatch.state-stopped{fill:var(--floe-stopped);stroke:var(--floe-stopped-line)}
.floe-graph .missing rect,.floe-graph .swatch.missing{fill:var(--floe-bg);stroke:var(--floe-bad);stroke-dasharray:5 3}
.floe-graph .edge{fill:none;stroke:var(--floe-edge);stroke-width:1.2}
.floe-graph .edge.missing{stroke:var(--floe-bad);stroke-dasharray:5 3}
.floe-graph .edge.cycle{stroke:var(--floe-bad);stroke-width:2}
.floe-graph .arrow{fill:var(--floe-edge)}
.floe-graph .arrow.bad{fill:var(--floe-bad)}
.floe-graph .edge-label{fill:var(--floe-bad);font-size:${NODE_FONT.stateSize}px}
.floe-graph .node:focus rect{stroke-width:3}
`
  .trim()
  .replace(/\n/g, '');

const MARGIN = 16;
const LEGEND_ROW = 22;

/** Options of the SVG: an id prefix (for several pictures in one page) and the title. */
export interface GraphSvgOptions {
  readonly idPrefix?: string;
  readonly title?: string;
}

/**
 * The dependency graph as a self-contained SVG: a layered layout (Graphviz `dot`), each plugin a box with
 * its key and state, coloured by state (with a legend of the states drawn), an arrow from each plugin to
 * what it depends on; a missing dependency is a dashed red box reached by a dashed red arrow, and an edge on
 * a cycle is red and labelled "cycle", as the text formats draw them. Every text is escaped.
 */
export async function graphSvg(graph: GraphData, options: GraphSvgOptions = {}): Promise<string> {
  return renderGraphSvg(graph, await layoutGraph(graph), options);
}

/** Renders a laid-out graph (see {@link graphSvg}). */
export function renderGraphSvg(graph: GraphData, layout: GraphLayout, options: GraphSvgOptions = {}): string {
  const prefix = options.idPrefix ?? 'floe-graph';
  const nodes = new Map(graph.nodes.map((node) => [node.key, node]));
  const kinds = new Map(graph.edges.map((edge) => [`${edge.from}\u0000${edge.to}`, edge]));
  const legend = legendItems(graph);
  const legendWidth = legend.reduce((sum, item) => sum + item.width, 0);
  const width = Math.ceil(Math.max(layout.width, Math.min(legendWidth, 640)) + 2 * MARGIN);
  const legendRows = rows(legend, width - 2 * MARGIN);
  const height = Math.ceil(layout.height + 2 * MARGIN + legendRows.length * LEGEND_ROW + 8);
  const states = graph.nodes.filter((node) => node.missing !== true).length;
  const missing = graph.nodes.length - states;
  const cycles = graph.edges.filter((edge) => edge.cycle === true).length;
  const description = [
    `${states} plugin${states === 1 ? '' : 's'}`,
    `${graph.edges.length - graph.edges.filter((e) => e.missing === true).length} dependencies`,
    ...(missing > 0 ? [`${missing} missing`] : []),
    ...(cycles > 0 ? [`${cycles} edge${cycles === 1 ? '' : 's'} on a cycle`] : []),
  ].join(', ');

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="floe-graph" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${prefix}-title ${prefix}-desc">`,
    `<title id="${prefix}-title">${escapeXml(options.title ?? 'floe plugin dependency graph')}</title>`,
    `<desc id="${prefix}-desc">${escapeXml(description)}; an arrow points from a plugin to what it depends on.</desc>`,
    `<style>${STYLE}</style>`,
    '<defs>',
    `<marker id="${prefix}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0,0L10,5L0,10z"/></marker>`,
    `<marker id="${prefix}-arrow-bad" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow bad" d="M0,0L10,5L0,10z"/></marker>`,
    '</defs>',
    `<rect class="background" width="${width}" height="${height}"/>`,
    `<g transform="translate(${MARGIN} ${MARGIN})">`,
    '<g class="edges">',
  ];
  for (const route of layout.edges) {
    const edge = kinds.get(`${route.from}\u0000${route.to}`);
    const kind = edge?.missing === true ? ' missing' : edge?.cycle === true ? ' cycle' : '';
    const marker = kind === '' ? `${prefix}-arrow` : `${prefix}-arrow-bad`;
    out.push(
      `<path class="edge${kind}" data-from="${escapeXml(route.from)}" data-to="${escapeXml(route.to)}" d="${pathOf(route)}" marker-end="url(#${marker})"><title>${escapeXml(`${route.from} depends on ${route.to}${kind === ' cycle' ? ' (on a cycle)' : kind === ' missing' ? ' (missing)' : ''}`)}</title></path>`,
    );
    if (edge?.cycle === true && route.labelAt !== undefined) {
      out.push(
        `<text class="edge-label" x="${n(route.labelAt.x)}" y="${n(route.labelAt.y + 3)}" text-anchor="middle">cycle</text>`,
      );
    }
  }
  out.push('</g>', '<g class="nodes">');
  for (const place of layout.nodes) {
    const node = nodes.get(place.key) as GraphNode;
    const missingNode = node.missing === true;
    const label = missingNode ? (node.name ?? node.key) : node.key;
    const state = missingNode ? '(missing)' : (node.state ?? '');
    const classes = missingNode
      ? 'node missing'
      : `node${node.state === undefined ? '' : ` state-${cssName(node.state)}`}`;
    out.push(
      `<g class="${classes}" data-key="${escapeXml(node.key)}"${missingNode ? '' : ` data-state="${escapeXml(node.state ?? '')}"`} tabindex="0">`,
      `<title>${escapeXml(missingNode ? `${label}: missing (no installed plugin provides it)` : `${label}: ${state}`)}</title>`,
      `<rect x="${n(place.x - place.width / 2)}" y="${n(place.y - place.height / 2)}" width="${n(place.width)}" height="${n(place.height)}" rx="4"/>`,
      `<text class="key" x="${n(place.x)}" y="${n(place.y - 2)}" text-anchor="middle" font-size="${NODE_FONT.keySize}">${escapeXml(label)}</text>`,
      `<text class="state" x="${n(place.x)}" y="${n(place.y + 12)}" text-anchor="middle" font-size="${NODE_FONT.stateSize}">${escapeXml(state)}</text>`,
      '</g>',
    );
  }
  out.push('</g>');
  out.push(`<g class="legend" transform="translate(0 ${n(layout.height + 12)})">`);
  legendRows.forEach((row, r) => {
    let x = 0;
    for (const item of row) {
      out.push(`<g transform="translate(${n(x)} ${r * LEGEND_ROW})">${item.svg(prefix)}</g>`);
      x += item.width;
    }
  });
  out.push('</g>', '</g>', '</svg>');
  return out.join('\n');
}

interface LegendItem {
  readonly width: number;
  svg(prefix: string): string;
}

// The states drawn, then the edge kinds drawn: the legend explains only what the picture holds.
function legendItems(graph: GraphData): LegendItem[] {
  const drawn = new Set(graph.nodes.filter((node) => node.missing !== true).map((node) => node.state));
  const items: LegendItem[] = [];
  const known = new Set(STATE_LEGEND.map(([state]) => state));
  const states = [
    ...STATE_LEGEND.filter(([state]) => drawn.has(state)),
    ...[...drawn].filter((state): state is string => state !== undefined && !known.has(state)).map((s) => [s, s]),
  ];
  for (const [state, meaning] of states) {
    items.push({
      width: 30 + meaning.length * 6.5,
      svg: () =>
        `<rect class="swatch state-${cssName(state)}" width="16" height="11" rx="2"/><text x="22" y="10" font-size="11">${escapeXml(meaning)}</text>`,
    });
  }
  if (graph.nodes.some((node) => node.missing === true)) {
    items.push({
      width: 150,
      svg: () =>
        '<rect class="swatch missing" width="16" height="11" rx="2"/><text x="22" y="10" font-size="11">missing dependency</text>',
    });
  }
  items.push({
    width: 100,
    svg: (prefix) =>
      `<path class="edge" d="M0,6H20" marker-end="url(#${prefix}-arrow)"/><text x="26" y="10" font-size="11">depends on</text>`,
  });
  if (graph.edges.some((edge) => edge.cycle === true)) {
    items.push({
      width: 110,
      svg: (prefix) =>
        `<path class="edge cycle" d="M0,6H20" marker-end="url(#${prefix}-arrow-bad)"/><text x="26" y="10" font-size="11">on a cycle</text>`,
    });
  }
  return items;
}

function rows(items: readonly LegendItem[], width: number): LegendItem[][] {
  const result: LegendItem[][] = [[]];
  let used = 0;
  for (const item of items) {
    if (used + item.width > width && used > 0) {
      result.push([]);
      used = 0;
    }
    result[result.length - 1].push(item);
    used += item.width;
  }
  return result;
}

function pathOf(route: EdgeRoute): string {
  const [start, ...rest] = route.curve;
  const parts = [`M${p(start)}`];
  for (let i = 0; i + 2 < rest.length; i += 3) parts.push(`C${p(rest[i])} ${p(rest[i + 1])} ${p(rest[i + 2])}`);
  if (route.tip !== undefined) parts.push(`L${p(route.tip)}`);
  return parts.join('');
}

function p(point: Point): string {
  return `${n(point.x)},${n(point.y)}`;
}

function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** A state as a CSS class name part: only letters, digits and `-`. */
function cssName(state: string): string {
  return state.replace(/[^A-Za-z0-9-]/g, '-');
}
