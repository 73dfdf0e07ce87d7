import ts from 'typescript';
import { PodMonitor, PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Service } from 'kubernetes-models/v1';
import { z } from 'zod';
import type { Manifest } from './kustomize-build.js';
import { repoPath } from './processes.js';

interface Model {
  new (data: never): { validate(): void };
}

/** Each kind we ship, its JSON-schema validator (kubernetes-models) and its TypeScript type. */
const kinds: Record<string, { model: Model; module: string; type: string }> = {
  'v1/Namespace': { model: Namespace, module: 'kubernetes-models/v1/Namespace', type: 'INamespace' },
  'v1/ConfigMap': { model: ConfigMap, module: 'kubernetes-models/v1/ConfigMap', type: 'IConfigMap' },
  'v1/Service': { model: Service, module: 'kubernetes-models/v1/Service', type: 'IService' },
  'apps/v1/Deployment': {
    model: Deployment,
    module: 'kubernetes-models/apps/v1/Deployment',
    type: 'IDeployment',
  },
  'batch/v1/Job': { model: Job, module: 'kubernetes-models/batch/v1/Job', type: 'IJob' },
  'autoscaling/v2/HorizontalPodAutoscaler': {
    model: HorizontalPodAutoscaler,
    module: 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler',
    type: 'IHorizontalPodAutoscaler',
  },
  'policy/v1/PodDisruptionBudget': {
    model: PodDisruptionBudget,
    module: 'kubernetes-models/policy/v1/PodDisruptionBudget',
    type: 'IPodDisruptionBudget',
  },
  'monitoring.coreos.com/v1/PodMonitor': {
    model: PodMonitor,
    module: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor',
    type: 'IPodMonitor',
  },
  'monitoring.coreos.com/v1/PrometheusRule': {
    model: PrometheusRule,
    module: '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule',
    type: 'IPrometheusRule',
  },
};

const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti)?$/);

/**
 * No npm package ships CloudNativePG's schema, so this is a minimal one: only the fields our
 * Clusters use, each checked against the CRD of CloudNativePG 1.30 (postgresql.cnpg.io/v1,
 * config/crd/bases/postgresql.cnpg.io_clusters.yaml) when written, and strict, so a misspelt
 * or unexpected field fails here before the API server prunes or rejects it.
 */
const cloudNativePgCluster = z
  .object({
    apiVersion: z.literal('postgresql.cnpg.io/v1'),
    kind: z.literal('Cluster'),
    metadata: z.object({
      name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/),
      namespace: z.string().optional(),
      labels: z.record(z.string(), z.string()).optional(),
    }),
    spec: z
      .object({
        instances: z.int().min(1),
        imageName: z.string().regex(/^[^:@]+:[^:@]+$/, 'an image with a pinned tag'),
        primaryUpdateStrategy: z.enum(['unsupervised', 'supervised']),
        bootstrap: z
          .object({ initdb: z.object({ database: z.string(), owner: z.string() }).strict() })
          .strict(),
        postgresql: z
          .object({
            parameters: z.record(z.string(), z.string()),
            synchronous: z
              .object({ method: z.enum(['any', 'first']), number: z.int().min(1) })
              .strict()
              .optional(),
          })
          .strict(),
        storage: z.object({ size: quantity }).strict(),
        resources: z
          .object({
            requests: z.partialRecord(z.enum(['cpu', 'memory']), quantity),
            limits: z.partialRecord(z.enum(['cpu', 'memory']), quantity),
          })
          .strict(),
        affinity: z.object({ enablePodAntiAffinity: z.boolean(), topologyKey: z.string() }).strict(),
      })
      .strict(),
  })
  .strict();

const keyOf = (manifest: Manifest) => `${manifest.apiVersion}/${manifest.kind}`;

/** Throws with the reasons if the manifest breaks its kind's schema (or its kind is unknown here). */
export function validateManifest(manifest: Manifest): void {
  if (keyOf(manifest) === 'postgresql.cnpg.io/v1/Cluster') {
    cloudNativePgCluster.parse(manifest);
    return;
  }
  const kind = kinds[keyOf(manifest)];
  if (!kind) throw new Error(`no schema for ${keyOf(manifest)}: add its model to kubernetes-schemas.ts`);
  new kind.model(manifest as never).validate();
}

/**
 * The JSON schemas of the Kubernetes API leave unknown fields open (the API server prunes or, with
 * strict field validation, rejects them). The TypeScript types generated from the same OpenAPI do
 * not: each manifest becomes an object literal of its kind's type, and the compiler names every
 * field the type does not have (`readinesProbe`, `maxUnavailble`). Returns those messages.
 */
export function unknownFields(manifests: Manifest[]): string[] {
  const typed = manifests.filter((manifest) => kinds[keyOf(manifest)]);
  const imports = [...new Set(typed.map((manifest) => kinds[keyOf(manifest)]!))].map(
    (kind) => `import type { ${kind.type} } from '${kind.module}';`,
  );
  const declarations = typed.map(
    (manifest, index) =>
      `export const m${index}: ${kinds[keyOf(manifest)]!.type} = ${JSON.stringify(manifest)};`,
  );
  const file = repoPath('test/deploy/support/manifests.virtual.ts');
  const text = [...imports, ...declarations].join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) =>
    name === file
      ? ts.createSourceFile(name, text, language)
      : getSourceFile.call(host, name, language, ...rest);
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  host.readFile = (name) => (name === file ? text : readFile.call(host, name));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where =
      diagnostic.start === undefined ? '' : text.slice(0, diagnostic.start).split('\n').length - 1;
    const manifest = where === '' ? undefined : typed[where - imports.length];
    const name = manifest ? `${manifest.kind}/${manifest.metadata.name}: ` : '';
    return name + ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  });
}
