/**
 * The import rules of src/, checked by `npm run lint`. The folders form layers, each importing only those
 * below it:
 *
 *   the vocabulary (src/*.ts: plugin types, errors, versions, health, logging, tracing, the clock)
 *   plugin/ (what an author touches)  <  plugins/, ordering/  <  discovery/, config/  <  lifecycle/
 *   <  registry/ (the facade and its parts)  <  pictures/  <  operations/, testing/  <  cli/
 *
 * and src/index.ts, the public barrel, sits on top. Type-only imports count: a cycle of types is still a
 * cycle of concepts.
 */
const SURFACES = '^src/(cli|operations|pictures|testing)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No module may reach itself through its imports.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'parts-never-import-the-facade',
      severity: 'error',
      comment:
        'PluginRegistry only wires and delegates: its parts get what they need passed in. Only the barrel, the ' +
        'shared instance and the layers above the registry (cli, operations, testing) may import it.',
      from: {
        path: '^src/',
        pathNot: '^src/(index\\.ts|registry/shared-registry\\.ts|cli/|operations/|pictures/|testing/)',
      },
      to: { path: '^src/registry/plugin-registry\\.ts$' },
    },
    {
      name: 'core-never-imports-the-surfaces',
      severity: 'error',
      comment: 'The CLI, the operations surfaces and the test kit sit on top: nothing below imports them.',
      from: { path: '^src/', pathNot: `^src/index\\.ts$|${SURFACES}` },
      to: { path: SURFACES },
    },
    {
      name: 'pictures-below-the-other-surfaces',
      severity: 'error',
      comment: 'The graph renderers serve the CLI and the console alike: they import neither.',
      from: { path: '^src/pictures/' },
      to: { path: '^src/(cli|operations|testing)/' },
    },
    {
      name: 'surfaces-never-import-the-cli',
      severity: 'error',
      comment: 'The CLI is the top layer: operations and testing never import it.',
      from: { path: '^src/(operations|testing)/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'lifecycle-below-the-registry',
      severity: 'error',
      comment: 'The lifecycle owner and its operations get the registry’s parts passed in, as interfaces.',
      from: { path: '^src/lifecycle/' },
      to: { path: '^src/registry/' },
    },
    {
      name: 'discovery-and-config-below-the-lifecycle',
      severity: 'error',
      comment: 'Reading packages and validating settings know nothing of lives, registries or commands.',
      from: { path: '^src/(discovery|config)/' },
      to: { path: '^src/(lifecycle|registry)/' },
    },
    {
      name: 'ordering-is-a-pure-graph',
      severity: 'error',
      comment: 'The dependency graph only knows keys, indices and Inversify metadata.',
      from: { path: '^src/ordering/' },
      to: { path: '^src/(plugins|discovery|config|lifecycle|registry)/' },
    },
    {
      name: 'plugin-api-at-the-bottom',
      severity: 'error',
      comment: 'The decorator, the base classes and the eleven types depend on the vocabulary only.',
      from: { path: '^src/(plugin|plugins)/' },
      to: { path: '^src/(ordering|discovery|config|lifecycle|registry)/' },
    },
    {
      name: 'vocabulary-at-the-bottom',
      severity: 'error',
      comment: 'The files directly in src/ (but the barrel) import no folder of src/.',
      from: { path: '^src/[^/]+\\.ts$', pathNot: '^src/index\\.ts$' },
      to: { path: '^src/[^/]+/' },
    },
    {
      name: 'src-never-imports-tests',
      severity: 'error',
      comment: 'The published code stands alone.',
      from: { path: '^src/' },
      to: { path: '^(test|bench|examples)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'Every import resolves.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
