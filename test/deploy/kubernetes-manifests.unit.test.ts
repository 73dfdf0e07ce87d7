import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { mountHealth } from '@gaji/platform/http';
import type { IContainer, IPodSpec } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { prometheusRuleFrom, ruleFile } from '../../scripts/write-prometheus-rule.js';
import { kustomizeBuild, podSpecsOf, type Manifest } from './support/kustomize-build.js';
import { unknownFields, validateManifest } from './support/kubernetes-schemas.js';
import { metricCatalogue } from './support/metric-catalogue.js';
import { processes, knownVariables, repoPath, type GajiProcess } from './support/processes.js';
import { writtenServiceKeys } from './support/service-keys.js';

const overlays = ['dev', 'prod'] as const;
const render = (overlay: string) => kustomizeBuild(repoPath(`deploy/k8s/overlays/${overlay}`));

const all = (manifests: Manifest[], kind: string) => manifests.filter((manifest) => manifest.kind === kind);
function one<T = Manifest>(manifests: Manifest[], kind: string, name: string): T {
  const found = manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name}`);
  return found as T;
}

interface Workload extends Manifest {
  spec: {
    selector: { matchLabels: Record<string, string> };
    strategy: { type: string; rollingUpdate?: { maxUnavailable?: number | string } };
    template: { metadata: { labels: Record<string, string> }; spec: IPodSpec };
  };
}
const deploymentOf = (manifests: Manifest[], process: GajiProcess) =>
  one<Workload>(manifests, 'Deployment', process.name);
const containerOf = (manifests: Manifest[], process: GajiProcess): IContainer => {
  const [container, ...others] = deploymentOf(manifests, process).spec.template.spec.containers;
  expect(others, `${process.name} runs one container`).toEqual([]);
  return container!;
};
const selects = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/**
 * Objects an operator creates beside the manifests with scripts/write-service-keys.ts
 * (docs/operations.md), holding keys that script really generated.
 */
const keys = await writtenServiceKeys();
const operatorMade: Record<'Secret' | 'ConfigMap', Record<string, Record<string, string>>> = {
  Secret: { 'purchase-service-key': { SERVICE_SIGNING_KEY: keys['SERVICE_SIGNING_KEY.purchase']! } },
  ConfigMap: { 'service-trust': { TRUSTED_SERVICE_KEYS: keys.TRUSTED_SERVICE_KEYS! } },
};

/** What a container's process would find in its environment (CloudNativePG's passwords made up). */
function environmentOf(manifests: Manifest[], container: IContainer): Record<string, string> {
  const configMap = (name: string) =>
    operatorMade.ConfigMap[name] ?? one<{ data: Record<string, string> }>(manifests, 'ConfigMap', name).data;
  const secret = (ref: { name?: string; key: string }) =>
    operatorMade.Secret[ref.name!]?.[ref.key] ?? cloudNativePgUri(manifests, ref);
  const environment: Record<string, string> = {};
  for (const source of container.envFrom ?? [])
    Object.assign(environment, configMap(source.configMapRef!.name!));
  for (const variable of container.env ?? []) {
    const { value, valueFrom } = variable;
    if (value !== undefined) environment[variable.name] = value;
    else if (valueFrom?.configMapKeyRef)
      environment[variable.name] = configMap(valueFrom.configMapKeyRef.name!)[valueFrom.configMapKeyRef.key]!;
    else if (valueFrom?.secretKeyRef) environment[variable.name] = secret(valueFrom.secretKeyRef);
    else throw new Error(`${variable.name}: no value this test understands`);
  }
  return environment;
}

/** CloudNativePG's `<cluster>-app` Secret holds `uri`: postgresql://owner:…@<cluster>-rw.<ns>:5432/db. */
function cloudNativePgUri(manifests: Manifest[], ref: { name?: string; key: string }): string {
  expect(ref.key).toBe('uri');
  expect(ref.name).toMatch(/-app$/);
  const cluster = one<{ spec: { bootstrap: { initdb: { database: string; owner: string } } } } & Manifest>(
    manifests,
    'Cluster',
    ref.name!.replace(/-app$/, ''),
  );
  const { database, owner } = cluster.spec.bootstrap.initdb;
  return `postgresql://${owner}:generated@${cluster.metadata.name}-rw.${cluster.metadata.namespace}:5432/${database}`;
}

describe.each(overlays)('the %s overlay', (overlay) => {
  const manifests = render(overlay);

  it('renders only manifests that are valid against the Kubernetes schema of their kind', () => {
    expect(manifests.length).toBeGreaterThan(30);
    for (const manifest of manifests) {
      expect(() => validateManifest(manifest), `${manifest.kind}/${manifest.metadata.name}`).not.toThrow();
    }
  });

  // Walks every manifest against the API's JSON schemas: seconds on a loaded machine, not the unit 5 s.
  it('uses no field the Kubernetes API types do not know (a misspelt probe would be dropped)', () => {
    expect(unknownFields(manifests)).toEqual([]);
  }, 30_000);

  it('puts every object in the overlay namespace', () => {
    const [namespace] = all(manifests, 'Namespace');
    expect(namespace?.metadata.name).toBe(overlay === 'prod' ? 'gaji' : 'gaji-dev');
    for (const manifest of manifests.filter((candidate) => candidate.kind !== 'Namespace')) {
      expect(manifest.metadata.namespace, `${manifest.kind}/${manifest.metadata.name}`).toBe(
        namespace?.metadata.name,
      );
    }
  });

  describe.each(processes)('$name', (process) => {
    it('runs from the one image with SERVICE naming it, listening where its config says', () => {
      const container = containerOf(manifests, process);
      expect(container.image).toBe(
        overlay === 'prod' ? 'registry.example.com/gaji-market:0.1.0' : 'gaji-market:dev',
      );
      expect(container.env?.find((variable) => variable.name === 'SERVICE')?.value).toBe(process.name);
      expect(container.ports).toEqual([{ name: 'http', containerPort: process.port }]);
    });

    it('is reached through a Service on the same port, selecting its pods', () => {
      const service = one<{ spec: { selector: Record<string, string>; ports: unknown[] } }>(
        manifests,
        'Service',
        process.name,
      );
      expect(service.spec.ports).toEqual([{ name: 'http', port: process.port, targetPort: 'http' }]);
      expect(
        selects(service.spec.selector, deploymentOf(manifests, process).spec.template.metadata.labels),
      ).toBe(true);
    });

    it('is probed on the health routes the platform mounts, on its http port', () => {
      const mounted: string[] = [];
      mountHealth(
        { get: (path: string) => mounted.push(path) } as unknown as Parameters<typeof mountHealth>[0],
        {},
      );
      const container = containerOf(manifests, process);
      const probe = (name: 'startupProbe' | 'readinessProbe' | 'livenessProbe') => container[name]?.httpGet;
      expect(probe('readinessProbe')).toEqual({ path: '/health/ready', port: 'http' });
      expect(probe('livenessProbe')).toEqual({ path: '/health/live', port: 'http' });
      expect(probe('startupProbe')).toEqual({ path: '/health/live', port: 'http' });
      expect(mounted).toEqual(expect.arrayContaining(['/health/ready', '/health/live']));
    });

    it('gets an environment its config schema accepts, naming only variables it reads', () => {
      const environment = environmentOf(manifests, containerOf(manifests, process));
      const parsed = process.schema.safeParse(environment);
      expect(parsed.error?.issues ?? []).toEqual([]);
      expect(Object.keys(environment).filter((name) => !knownVariables(process).has(name))).toEqual([]);
      expect(parsed.data?.PORT, 'no PORT override: it listens on its default').toBe(process.port);
    });

    it('holds the service-identity keys its config reads, from the objects the operator guide creates', () => {
      const environment = environmentOf(manifests, containerOf(manifests, process));
      for (const name of ['SERVICE_SIGNING_KEY', 'TRUSTED_SERVICE_KEYS'].filter(
        (key) => key in process.schema.shape,
      )) {
        expect(environment[name], name).toBeDefined();
      }
    });

    it('calls other processes only at Services that exist, on their ports', () => {
      const environment = environmentOf(manifests, containerOf(manifests, process));
      const urls = Object.values(environment).filter((value) => /^https?:\/\//.test(value));
      expect(urls.length).toBeGreaterThan(0);
      for (const url of urls.map((value) => new URL(value))) {
        const service = one<{ spec: { ports: { port: number }[] } }>(manifests, 'Service', url.hostname);
        expect(
          service.spec.ports.map((port) => port.port),
          url.href,
        ).toContain(Number(url.port));
      }
    });

    it('rolls out without ever having fewer ready pods than before', () => {
      const { strategy } = deploymentOf(manifests, process).spec;
      expect(strategy.type).toBe('RollingUpdate');
      expect(strategy.rollingUpdate?.maxUnavailable).toBe(0);
    });

    it('has a disruption budget and an autoscaler on CPU for its Deployment', () => {
      const labels = deploymentOf(manifests, process).spec.template.metadata.labels;
      const budget = one<{ spec: { selector: { matchLabels: Record<string, string> } } }>(
        manifests,
        'PodDisruptionBudget',
        process.name,
      );
      expect(selects(budget.spec.selector.matchLabels, labels)).toBe(true);
      const autoscaler = one<{
        spec: {
          scaleTargetRef: { kind: string; name: string };
          minReplicas: number;
          maxReplicas: number;
          metrics: { type: string; resource?: { name: string } }[];
        };
      }>(manifests, 'HorizontalPodAutoscaler', process.name);
      expect(autoscaler.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: process.name });
      expect(autoscaler.spec.minReplicas).toBeLessThanOrEqual(autoscaler.spec.maxReplicas);
      expect(autoscaler.spec.metrics).toContainEqual(
        expect.objectContaining({ resource: expect.objectContaining({ name: 'cpu' }) }),
      );
    });

    it('scales on its durable consumer’s lag when it has one', () => {
      const service = readFileSync(repoPath(serviceFileOf(process)), 'utf8');
      const consumesDurably = service.includes('.consume(');
      const autoscaler = one<{
        spec: { metrics: { type: string; external?: { metric: { name: string; selector: unknown } } }[] };
      }>(manifests, 'HorizontalPodAutoscaler', process.name);
      const external = autoscaler.spec.metrics.filter((metric) => metric.type === 'External');
      if (!consumesDurably) {
        expect(external).toEqual([]);
        return;
      }
      expect(external.map((metric) => metric.external?.metric)).toEqual([
        { name: 'gaji_consumer_lag_messages', selector: { matchLabels: { consumer: process.name } } },
      ]);
      expect(metricCatalogue().metrics.map((metric) => metric.name)).toContain('gaji_consumer_lag_messages');
    });

    it('keeps its database in its own CloudNativePG cluster, and has none if it keeps no database', () => {
      const container = containerOf(manifests, process);
      if (!process.databaseUrlVariable) {
        expect(
          (container.env ?? []).map((v) => v.name).filter((name) => name.endsWith('DATABASE_URL')),
        ).toEqual([]);
        expect(
          all(manifests, 'Cluster').filter((cluster) => cluster.metadata.name === `${process.name}-db`),
        ).toEqual([]);
        return;
      }
      const variable = container.env?.find((candidate) => candidate.name === process.databaseUrlVariable);
      expect(variable?.valueFrom?.secretKeyRef).toEqual({ name: `${process.name}-db-app`, key: 'uri' });
      const cluster = one<{ spec: { instances: number; postgresql: { synchronous?: { number: number } } } }>(
        manifests,
        'Cluster',
        `${process.name}-db`,
      );
      expect(cluster.spec.instances).toBe(overlay === 'prod' ? 3 : 1);
      // A synchronous standby must exist, or every commit waits for ever.
      expect(cluster.spec.postgresql.synchronous?.number ?? 0).toBeLessThan(cluster.spec.instances);
    });
  });

  it('expects exactly the Secret and ConfigMap of keys that the operations guide creates', () => {
    const guide = readFileSync(repoPath('docs/operations.md'), 'utf8');
    for (const name of Object.keys(operatorMade.Secret))
      expect(guide).toContain(`create secret generic ${name}`);
    for (const name of Object.keys(operatorMade.ConfigMap))
      expect(guide).toContain(`create configmap ${name}`);
    const referenced = all(manifests, 'Deployment').flatMap((deployment) =>
      (podSpecsOf(deployment) as IPodSpec[]).flatMap((podSpec) =>
        podSpec.containers.flatMap((container) =>
          (container.env ?? []).flatMap((variable) => {
            const ref = variable.valueFrom?.secretKeyRef ?? variable.valueFrom?.configMapKeyRef;
            return ref?.name &&
              !ref.name.endsWith('-db-app') &&
              !manifests.some((m) => m.metadata.name === ref.name)
              ? [ref.name]
              : [];
          }),
        ),
      ),
    );
    // Several deployments may read one object (payment and product both trust `service-trust`).
    expect([...new Set(referenced)].sort()).toEqual(
      [...Object.keys(operatorMade.ConfigMap), ...Object.keys(operatorMade.Secret)].sort(),
    );
  });

  it('runs every pod as a non-root user with a read-only root filesystem, no capabilities and resource limits', () => {
    const workloads = [...all(manifests, 'Deployment'), ...all(manifests, 'Job')];
    expect(workloads.length).toBe(processes.length + 1);
    for (const workload of workloads) {
      const [podSpec] = podSpecsOf(workload) as IPodSpec[];
      expect(podSpec?.securityContext, workload.metadata.name).toMatchObject({ runAsNonRoot: true });
      expect(podSpec?.securityContext?.runAsUser).toBeGreaterThan(0);
      for (const container of podSpec!.containers) {
        expect(container.securityContext, container.name).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(Object.keys(container.resources?.requests ?? {}).sort()).toEqual(['cpu', 'memory']);
        expect(container.resources?.limits?.memory, container.name).toBeDefined();
        const writable = new Set(
          podSpec!.volumes?.filter((volume) => volume.emptyDir).map((volume) => volume.name),
        );
        const tmp = container.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
        expect(tmp && writable.has(tmp.name), `${container.name}: /tmp is a writable emptyDir`).toBe(true);
      }
    }
  });

  it("gives My Page's read model a writable volume of its own per pod", () => {
    const mypage = processes.find((process) => process.name === 'mypage')!;
    const dataDir = environmentOf(manifests, containerOf(manifests, mypage)).MYPAGE_DATA_DIR;
    const mount = containerOf(manifests, mypage).volumeMounts?.find(
      (candidate) => candidate.mountPath === dataDir,
    );
    const volume = deploymentOf(manifests, mypage).spec.template.spec.volumes?.find(
      (v) => v.name === mount?.name,
    );
    expect(volume?.emptyDir).toBeDefined();
  });

  it('scrapes /metrics on the http port of every process, with job="gaji-market"', () => {
    const [monitor] = all(manifests, 'PodMonitor') as ({
      spec: {
        jobLabel: string;
        selector: { matchLabels: Record<string, string> };
        podMetricsEndpoints: { port: string; path: string }[];
      };
    } & Manifest)[];
    expect(monitor?.spec.podMetricsEndpoints).toEqual([
      expect.objectContaining({ port: 'http', path: '/metrics' }),
    ]);
    for (const process of processes) {
      const labels = deploymentOf(manifests, process).spec.template.metadata.labels;
      expect(selects(monitor!.spec.selector.matchLabels, labels), process.name).toBe(true);
      expect(labels[monitor!.spec.jobLabel]).toBe('gaji-market');
    }
  });

  it('loads exactly the alert rules Prometheus loads in compose', () => {
    const rule = one(manifests, 'PrometheusRule', 'gaji-alerts');
    const expected = prometheusRuleFrom(readFileSync(ruleFile, 'utf8')) as Manifest;
    expect(rule.spec, 'out of date: run `npm run deploy:rules`').toEqual(expected.spec);
  });

  it('applies the GAJI stream configuration with a Job that reaches NATS through gaji-config', () => {
    const job = one<Manifest>(manifests, 'Job', 'gaji-stream');
    const [podSpec] = podSpecsOf(job) as IPodSpec[];
    const [container] = podSpec!.containers;
    const configVolume = podSpec!.volumes?.find((volume) => volume.configMap?.name === 'gaji-stream');
    const mount = container!.volumeMounts?.find((candidate) => candidate.name === configVolume?.name);
    expect(container!.command).toEqual(['sh', `${mount?.mountPath}/ensure-stream.sh`]);
    const files = one<{ data: Record<string, string> }>(manifests, 'ConfigMap', 'gaji-stream').data;
    expect(Object.keys(files).sort()).toEqual(['ensure-stream.sh', 'gaji-stream.json']);
    expect(environmentOf(manifests, container!).NATS_URL).toBe('nats://nats:4222');
  });
});

const serviceFileOf = (process: GajiProcess) =>
  process.name === 'gateway'
    ? 'gateway/src/gateway.ts'
    : `subgraphs/${process.name}/src/${process.name}.service.ts`;

describe('the NATS Helm values', () => {
  const values = parse(readFileSync(repoPath('deploy/nats/values.yaml'), 'utf8')) as {
    config: {
      cluster: { enabled: boolean; replicas: number };
      jetstream: { enabled: boolean; fileStore: { enabled: boolean }; memoryStore: { enabled: boolean } };
      nats?: { port?: number };
    };
  };

  it('run three clustered servers with JetStream on files, enough for the stream’s replicas', () => {
    const stream = JSON.parse(readFileSync(repoPath('deploy/nats/gaji-stream.json'), 'utf8')) as {
      num_replicas: number;
    };
    expect(values.config.cluster).toMatchObject({ enabled: true, replicas: 3 });
    expect(values.config.jetstream).toMatchObject({ enabled: true, fileStore: { enabled: true } });
    expect(stream.num_replicas).toBeLessThanOrEqual(values.config.cluster.replicas);
  });

  it('keep the client port the gaji-config NATS_URL names (the chart default, 4222)', () => {
    expect(values.config.nats?.port ?? 4222).toBe(4222);
  });
});

describe('the prometheus-adapter values', () => {
  it('serve every external metric an autoscaler asks for', () => {
    const adapter = parse(readFileSync(repoPath('deploy/prometheus-adapter/values.yaml'), 'utf8')) as {
      rules: { external: { name: { as: string } }[] };
    };
    const served = adapter.rules.external.map((rule) => rule.name.as);
    const asked = all(render('prod'), 'HorizontalPodAutoscaler').flatMap((autoscaler) =>
      (autoscaler.spec as { metrics: { external?: { metric: { name: string } } }[] }).metrics.flatMap(
        (metric) => (metric.external ? [metric.external.metric.name] : []),
      ),
    );
    expect(asked.length).toBeGreaterThan(0);
    expect(served).toEqual(expect.arrayContaining([...new Set(asked)]));
  });
});

const kubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!kubectl)('the renderer these tests use', () => {
  it.each(overlays)('renders the %s overlay exactly as `kubectl kustomize` does', (overlay) => {
    const key = (manifest: Manifest) =>
      `${manifest.kind}/${manifest.metadata.namespace}/${manifest.metadata.name}`;
    const output = execFileSync('kubectl', ['kustomize', repoPath(`deploy/k8s/overlays/${overlay}`)], {
      encoding: 'utf8',
    });
    const theirs = parseAllDocuments(output).map((document) => document.toJS() as Manifest);
    const ours = new Map(render(overlay).map((manifest) => [key(manifest), manifest]));
    expect(theirs.map(key).sort()).toEqual([...ours.keys()].sort());
    for (const manifest of theirs) {
      expect(isDeepStrictEqual(ours.get(key(manifest)), manifest), key(manifest)).toBe(true);
    }
  });
});
if (!kubectl)
  console.warn('[deploy] kubectl is not installed: the renderer is not compared with kustomize here');
