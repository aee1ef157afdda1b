/*
 * The console of `floe serve`: one self-contained page (inline style and script, nothing fetched but this
 * server's /status.json and /graph.svg), readable on a phone and in dark mode, with text for every colour.
 * Data from the platform is only ever put in the page as text (textContent); the graph is the server's SVG,
 * whose every text is escaped where it is drawn.
 */

const STYLE = `
:root{color-scheme:light dark;--bg:#ffffff;--panel:#f6f8fa;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;
--ok:#15803d;--ok-bg:#dcfce7;--warn:#a16207;--warn-bg:#fef9c3;--bad:#c62828;--bad-bg:#fee2e2;--idle:#4b5563;
--idle-bg:#e5e7eb;--bar:#2563eb;--focus:#2563eb}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--panel:#161b22;--fg:#e6edf3;--muted:#9198a1;--line:#30363d;
--ok:#3fb950;--ok-bg:#0f3d24;--warn:#d29922;--warn-bg:#3d3208;--bad:#ff7b72;--bad-bg:#4a1518;--idle:#9198a1;
--idle-bg:#262c36;--bar:#58a6ff;--focus:#58a6ff}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--bar)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:var(--panel);padding:6px;z-index:2}
header{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;padding:12px 16px;border-bottom:1px solid var(--line);background:var(--panel)}
header h1{font-size:18px;margin:0}
nav{display:flex;gap:12px;flex-wrap:wrap}
main{padding:8px 16px 32px;max-width:1200px;margin:0 auto}
section{margin-top:20px}
h2{font-size:16px;margin:0 0 8px}
.summary,.updated{color:var(--muted)}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;border:1px solid currentColor;font-size:13px;white-space:nowrap}
.s-active,.h-healthy,.o-started,.p-running{color:var(--ok);background:var(--ok-bg)}
.s-starting,.s-stopping,.h-degraded,.o-starting,.p-starting,.p-stopping{color:var(--warn);background:var(--warn-bg)}
.s-failed,.h-unhealthy,.o-failed,.p-unreachable{color:var(--bad);background:var(--bad-bg)}
.s-discovered,.s-loaded,.s-stopped,.p-idle{color:var(--idle);background:var(--idle-bg)}
.table{overflow-x:auto;border:1px solid var(--line);border-radius:6px}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--panel);font-weight:600}
tr:last-child td{border-bottom:0}
td.key{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px;white-space:nowrap}
.why{color:var(--muted);font-size:13px}
.graph{overflow:auto;border:1px solid var(--line);border-radius:6px;background:var(--panel);max-height:70vh}
.graph svg{display:block;max-width:none}
.graph svg .background{fill:none}
.timeline{border:1px solid var(--line);border-radius:6px;padding:8px 10px}
.row{display:grid;grid-template-columns:minmax(120px,260px) 1fr;gap:8px;align-items:center;margin:3px 0}
.row .label{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;overflow-wrap:anywhere}
.track{position:relative;height:20px;background:var(--panel);border-radius:3px}
.bar{position:absolute;top:2px;bottom:2px;min-width:3px;border-radius:3px;border:1px solid currentColor;font-size:11px;line-height:14px;padding:0 4px;white-space:nowrap;overflow:visible}
.row.critical .label{font-weight:700}
.row.critical .bar{outline:2px solid var(--fg);outline-offset:1px}
.legend{display:flex;flex-wrap:wrap;gap:6px 14px;color:var(--muted);font-size:13px;margin-top:6px}
.empty{color:var(--muted)}
@media (max-width:600px){body{font-size:14px}.row{grid-template-columns:1fr}
table,tbody,tr,td{display:block}thead{display:none}tr{border-bottom:1px solid var(--line);padding:6px 0}
tr:last-child{border-bottom:0}td{border:0;padding:2px 10px}td.key{white-space:normal;overflow-wrap:anywhere}td.version:empty{display:none}
td.version:not(:empty)::before{content:"version "}}
`;

const SCRIPT = `
'use strict';
(function () {
  var POLL_MS = 1000;
  var graphVersion = '';
  var el = function (tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  var cls = function (prefix, value) { return prefix + String(value).replace(/[^A-Za-z0-9-]/g, '-'); };
  var badge = function (prefix, value, label) { return el('span', 'badge ' + cls(prefix, value), label || value); };

  function renderPlugins(status) {
    var body = document.getElementById('plugin-rows');
    var rows = [];
    status.plugins.forEach(function (plugin) {
      var row = el('tr');
      row.setAttribute('data-key', plugin.key);
      row.appendChild(el('td', 'key', plugin.key));
      var state = el('td');
      state.appendChild(badge('s-', plugin.state));
      if (plugin.reason) {
        var why = plugin.reason + (plugin.blockedBy ? ' (blocked by ' + plugin.blockedBy + ')' : '');
        state.appendChild(el('div', 'why', why));
      }
      if (plugin.error) state.appendChild(el('div', 'why', plugin.error));
      row.appendChild(state);
      var health = el('td');
      if (plugin.health) {
        health.appendChild(badge('h-', plugin.health.state));
        if (plugin.health.message) health.appendChild(el('div', 'why', plugin.health.message));
      } else health.appendChild(el('span', 'why', plugin.state === 'active' ? 'not checked yet' : '\\u2014'));
      row.appendChild(health);
      row.appendChild(el('td', 'version', plugin.version || ''));
      rows.push(row);
    });
    body.replaceChildren.apply(body, rows);
    var counts = {};
    status.plugins.forEach(function (plugin) { counts[plugin.state] = (counts[plugin.state] || 0) + 1; });
    var parts = Object.keys(counts).sort().map(function (state) { return counts[state] + ' ' + state; });
    document.getElementById('summary').textContent =
      status.plugins.length + ' plugin' + (status.plugins.length === 1 ? '' : 's') + (parts.length ? ': ' + parts.join(', ') : '');
  }

  function renderGraphStates(status) {
    var states = {};
    status.graph.nodes.forEach(function (node) { if (!node.missing) states[node.key] = node.state; });
    var nodes = document.querySelectorAll('#graph g.node[data-key]');
    Array.prototype.forEach.call(nodes, function (node) {
      var key = node.getAttribute('data-key');
      if (!Object.prototype.hasOwnProperty.call(states, key)) return;
      var state = states[key];
      if (node.getAttribute('data-state') === state) return;
      node.setAttribute('data-state', state);
      node.setAttribute('class', 'node ' + cls('state-', state));
      var text = node.querySelector('text.state');
      if (text) text.textContent = state;
      var title = node.querySelector('title');
      if (title) title.textContent = key + ': ' + state;
    });
  }

  function loadGraph(version) {
    return fetch('graph.svg?v=' + encodeURIComponent(version), { cache: 'no-store' }).then(function (response) {
      if (!response.ok) throw new Error('graph: HTTP ' + response.status);
      return response.text();
    }).then(function (svg) {
      var holder = document.getElementById('graph');
      var parsed = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
      if (parsed.nodeName !== 'svg') throw new Error('graph: not an SVG');
      holder.replaceChildren(document.importNode(parsed, true));
      graphVersion = version;
    });
  }

  function renderTimeline(status) {
    var box = document.getElementById('timeline-rows');
    var startup = status.startup;
    var caption = document.getElementById('timeline-caption');
    if (!startup) {
      caption.textContent = 'No startup yet.';
      box.replaceChildren();
      return;
    }
    var total = Math.max(startup.durationMs, 1);
    var critical = {};
    startup.criticalPath.forEach(function (key) { critical[key] = true; });
    caption.textContent = (startup.running ? 'Starting for ' : 'Took ') + Math.round(startup.durationMs) + ' ms' +
      (startup.criticalPath.length ? '; critical path: ' + startup.criticalPath.join(' \\u2192 ') : '') +
      ' (began ' + new Date(startup.startedAt).toLocaleTimeString() + ')';
    var rows = startup.bars.map(function (bar) {
      var row = el('div', 'row' + (critical[bar.key] ? ' critical' : ''));
      row.setAttribute('data-key', bar.key);
      row.appendChild(el('div', 'label', (critical[bar.key] ? '\\u25B6 ' : '') + bar.key));
      var track = el('div', 'track');
      var end = bar.endMs === undefined ? startup.durationMs : bar.endMs;
      var duration = Math.max(0, end - bar.startMs);
      var label = bar.outcome === 'starting' ? 'starting, ' + Math.round(duration) + ' ms' :
        (bar.outcome === 'failed' ? 'failed after ' : '') + Math.round(duration) + ' ms';
      var shape = el('div', 'bar ' + cls('o-', bar.outcome), label);
      shape.style.left = (100 * bar.startMs / total).toFixed(2) + '%';
      shape.style.width = (100 * duration / total).toFixed(2) + '%';
      shape.title = bar.key + ': ' + label + (critical[bar.key] ? ' (on the critical path)' : '');
      track.appendChild(shape);
      row.appendChild(track);
      return row;
    });
    box.replaceChildren.apply(box, rows);
  }

  function render(status) {
    var phase = document.getElementById('phase');
    phase.className = 'badge ' + cls('p-', status.phase);
    phase.textContent = status.phase;
    document.getElementById('updated').textContent = 'updated ' + new Date(status.generatedAt).toLocaleTimeString();
    renderPlugins(status);
    renderTimeline(status);
    // The picture is fetched again when its shape changes, or the states it holds (its legend lists them).
    var seen = {};
    status.graph.nodes.forEach(function (node) { if (!node.missing) seen[node.state] = true; });
    var version = status.graphVersion + ':' + Object.keys(seen).sort().join(',');
    var graphReady = version === graphVersion ? Promise.resolve() : loadGraph(version);
    return graphReady.then(function () { renderGraphStates(status); });
  }

  function poll() {
    fetch('status.json', { cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(render)
      .catch(function () {
        var phase = document.getElementById('phase');
        phase.className = 'badge p-unreachable';
        phase.textContent = 'unreachable';
      })
      .then(function () { setTimeout(poll, POLL_MS); });
  }
  poll();
})();
`;

/** The console's HTML, its script allowed by `nonce` (the page's Content-Security-Policy names it). */
export function consolePage(nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
<title>floe console</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#plugins">Skip to the plugins</a>
<header>
<h1>floe</h1>
<span id="phase" class="badge p-idle" role="status" aria-live="polite">loading</span>
<span id="summary" class="summary"></span>
<span id="updated" class="updated"></span>
<nav aria-label="Sections"><a href="#plugins">Plugins</a><a href="#graph-section">Graph</a><a href="#timeline">Startup</a><a href="status.json">status.json</a></nav>
</header>
<main>
<section id="plugins" aria-labelledby="plugins-title">
<h2 id="plugins-title">Plugins</h2>
<div class="table" tabindex="0" role="region" aria-labelledby="plugins-title">
<table>
<thead><tr><th scope="col">Plugin</th><th scope="col">State</th><th scope="col">Health</th><th scope="col" class="version">Version</th></tr></thead>
<tbody id="plugin-rows"></tbody>
</table>
</div>
</section>
<section id="graph-section" aria-labelledby="graph-title">
<h2 id="graph-title">Dependency graph</h2>
<div id="graph" class="graph" tabindex="0" role="region" aria-labelledby="graph-title"><p class="empty">Loading…</p></div>
</section>
<section id="timeline" aria-labelledby="timeline-title">
<h2 id="timeline-title">Last startup</h2>
<div class="timeline">
<p id="timeline-caption" class="summary"></p>
<div id="timeline-rows"></div>
<div class="legend"><span><span class="badge o-started">started</span></span><span><span class="badge o-starting">starting</span></span><span><span class="badge o-failed">failed</span></span><span>\u25B6 bold, outlined: on the critical path</span></div>
</div>
</section>
</main>
<script nonce="${nonce}">${SCRIPT}</script>
</body>
</html>
`;
}
