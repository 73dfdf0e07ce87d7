// Dependency rules across the whole tree (`npm run lint` runs them). ESLint guards the layers inside
// a context (eslint.config.js); these guard what ESLint cannot see: contexts against each other,
// cycles, what a use case may take from the platform, and adapters against each other.
/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-cross-context',
      comment:
        'A bounded context never imports another: they meet through events, the supergraph and schema/ contracts.',
      severity: 'error',
      from: { path: '^subgraphs/([^/]+)/' },
      to: { path: '^subgraphs/[^/]+/', pathNot: '^subgraphs/$1/' },
    },
    {
      name: 'no-context-from-shared-code',
      comment: 'The platform, the contracts and the gateway serve every context and know none of them.',
      severity: 'error',
      from: { path: '^(packages|schema|gateway)/' },
      to: { path: '^subgraphs/' },
    },
    {
      name: 'no-gateway-from-packages',
      severity: 'error',
      from: { path: '^(packages|schema|subgraphs)/' },
      to: { path: '^gateway/' },
    },
    {
      name: 'no-cycles',
      comment: 'An import cycle makes load order matter and layers meaningless.',
      severity: 'error',
      from: { path: '^(packages|schema|gateway|subgraphs)/' },
      to: { circular: true },
    },
    {
      name: 'application-takes-only-ports-from-platform',
      comment:
        'Use cases and policies name what they need (UnitOfWork, Clock, IdGenerator) through @gaji/platform/ports; the runtime provides it.',
      severity: 'error',
      from: { path: '^subgraphs/[^/]+/src/(application|domain)/' },
      to: { path: '^packages/platform/', pathNot: '^packages/platform/src/ports/' },
    },
    {
      name: 'domain-depends-on-nothing-outside',
      comment: 'The domain imports only itself, the domain kernel and the published language (contracts).',
      severity: 'error',
      from: { path: '^subgraphs/[^/]+/src/domain/' },
      to: {
        pathNot: ['^subgraphs/[^/]+/src/domain/', '^packages/domain-kernel/', '^schema/src/'],
      },
    },
    {
      name: 'inbound-adapters-reach-outbound-only-through-ports',
      comment:
        'An inbound adapter calls use cases and queries; what they need from outside comes in through ports.',
      severity: 'error',
      from: { path: '^subgraphs/[^/]+/src/adapters/inbound/' },
      to: { path: '^subgraphs/[^/]+/src/adapters/outbound/' },
    },
    {
      name: 'outbound-adapters-serve-ports-not-inbound-ones',
      severity: 'error',
      from: { path: '^subgraphs/[^/]+/src/adapters/outbound/' },
      to: { path: '^subgraphs/[^/]+/src/adapters/inbound/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)node_modules/', '(^|/)generated/', '(^|/)__generated__/'] },
    // Type-only imports count: a port typed with a driver's type depends on that driver.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
