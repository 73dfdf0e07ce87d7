import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { processes, knownVariables, repoPath } from './support/processes.js';
import { fileVariables, writtenServiceKeys } from './support/service-keys.js';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  read_only?: boolean;
  tmpfs?: string[];
}
const compose = parse(readFileSync(repoPath('compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
};
const serviceNamed = (name: string): ComposeService => {
  const service = compose.services[name];
  if (!service) throw new Error(`compose.yaml has no service ${name}`);
  return service;
};
const bindMounts = (service: ComposeService) =>
  (service.volumes ?? [])
    .filter((volume) => volume.startsWith('./'))
    .map((volume) => {
      const [source, target] = volume.split(':');
      return { source: source!.slice(2), target: target! };
    });

/** What the image itself sets (the runtime stage's ENV), before compose adds its own. */
const imageEnvironment = Object.fromEntries(
  DockerfileParser.parse(readFileSync(repoPath('Dockerfile'), 'utf8'))
    .getENVs()
    .flatMap((env) => env.getProperties())
    .map((property) => [property.getName(), property.getValue() ?? ''] as const)
    .filter(([, value]) => !value.includes('$')),
);

// What compose's `service-keys` writes into its volume, generated for real by the same script.
const keysDir = compose.services['service-keys']?.entrypoint?.at(-1) ?? '';
const keyFiles = await writtenServiceKeys();

/** The environment a process sees once the entry point has read its NAME_FILE variables. */
function afterEntryPoint(environment: Record<string, string>): Record<string, string> {
  const resolved = { ...environment };
  for (const name of fileVariables) {
    const file = resolved[`${name}_FILE`];
    if (file === undefined) continue;
    expect(file.startsWith(`${keysDir}/`), file).toBe(true);
    resolved[name] = keyFiles[file.slice(keysDir.length + 1)]!;
    delete resolved[`${name}_FILE`];
  }
  return resolved;
}

const listensOn = (host: string): number | undefined =>
  processes.find((process) => process.name === host)?.port ?? (host.startsWith('nats-') ? 4222 : undefined);

describe('compose.yaml', () => {
  describe.each(processes)('$name', (process) => {
    const service = serviceNamed(process.name);
    const environment = afterEntryPoint({ ...imageEnvironment, ...service.environment });

    it('runs from the image the Dockerfile builds, with SERVICE naming it and a read-only root', () => {
      expect(service.build?.context).toBe('.');
      expect(existsSync(repoPath(service.build?.dockerfile ?? 'Dockerfile'))).toBe(true);
      expect(service.environment?.SERVICE).toBe(process.name);
      expect(service.read_only).toBe(true);
      expect(service.tmpfs).toContain('/tmp');
    });

    it('gets an environment its config schema accepts, naming only variables it reads', () => {
      const parsed = process.schema.safeParse(environment);
      expect(parsed.error?.issues ?? []).toEqual([]);
      // The image's own settings serve every process (each ignores the others'); compose's are per process.
      const reads = new Set([...knownVariables(process), ...fileVariables.map((name) => `${name}_FILE`)]);
      expect(Object.keys(service.environment ?? {}).filter((name) => !reads.has(name))).toEqual([]);
    });

    it('reads the service-identity keys its config needs from the service-keys volume, and no keys if it needs none', () => {
      const keyVariables = ['SERVICE_SIGNING_KEY', 'TRUSTED_SERVICE_KEYS'];
      const needed = keyVariables.filter((key) => key in process.schema.shape);
      expect(keyVariables.filter((name) => service.environment?.[`${name}_FILE`] !== undefined)).toEqual(
        needed,
      );
      const keysMounts = (service.volumes ?? []).filter((volume) => volume.startsWith('service-keys:'));
      if (needed.length === 0) {
        expect(keysMounts).toEqual([]);
        expect(Object.keys(service.depends_on ?? {})).not.toContain('service-keys');
        return;
      }
      expect(keysMounts).toEqual([`service-keys:${keysDir}:ro`]);
      expect(service.depends_on).toMatchObject({
        'service-keys': { condition: 'service_completed_successfully' },
      });
    });

    it('reaches other processes and NATS at compose services that listen there', () => {
      for (const value of Object.values(environment).filter((candidate) =>
        /^(https?|nats):\/\//.test(candidate),
      )) {
        const url = new URL(value);
        expect(compose.services[url.hostname], value).toBeDefined();
        expect(listensOn(url.hostname), value).toBe(Number(url.port));
      }
    });

    it('keeps its data in its own database on the one PostgreSQL server, created at first start, or has none', () => {
      const init = readFileSync(repoPath('deploy/compose/postgres-init.sql'), 'utf8');
      if (!process.databaseUrlVariable) {
        expect(Object.keys(environment).filter((name) => name.endsWith('DATABASE_URL'))).toEqual([]);
        expect(init).not.toContain(`CREATE DATABASE gaji_${process.name};`);
        return;
      }
      const url = new URL(environment[process.databaseUrlVariable]!);
      expect(url.hostname).toBe('postgres');
      expect(url.pathname).toBe(`/gaji_${process.name}`);
      expect(init).toContain(`CREATE DATABASE gaji_${process.name};`);
      expect(service.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' } });
    });

    it('starts once the GAJI stream exists at three replicas', () => {
      expect(service.depends_on).toMatchObject({
        'nats-stream': { condition: 'service_completed_successfully' },
      });
    });
  });

  it('relies only on image settings that some process reads', () => {
    const read = new Set(processes.flatMap((process) => [...knownVariables(process)]));
    expect(Object.keys(imageEnvironment).length).toBeGreaterThan(0);
    expect(Object.keys(imageEnvironment).filter((name) => !read.has(name))).toEqual([]);
  });

  it('starts the gateway once every subgraph is healthy, and publishes only its port', () => {
    const gateway = serviceNamed('gateway');
    for (const process of processes.filter((candidate) => candidate.name !== 'gateway')) {
      expect(gateway.depends_on).toMatchObject({ [process.name]: { condition: 'service_healthy' } });
    }
    expect((gateway as { ports?: string[] }).ports).toEqual(['4000:4000']);
  });

  it("keeps My Page's read model on a volume, the one place it writes", () => {
    const mypage = serviceNamed('mypage');
    const dataDir = { ...imageEnvironment, ...mypage.environment }.MYPAGE_DATA_DIR;
    const volume = mypage.volumes?.find((candidate) => candidate.endsWith(`:${dataDir}`));
    expect(volume && volume.split(':')[0]! in compose.volumes).toBe(true);
  });

  it('mounts only files and folders that exist in the repository', () => {
    const mounts = Object.values(compose.services).flatMap(bindMounts);
    expect(mounts.length).toBeGreaterThan(0);
    for (const { source } of mounts) expect(existsSync(repoPath(source)), source).toBe(true);
  });

  it('pins every image it pulls to a version', () => {
    const pulled = Object.values(compose.services).filter((service) => !service.build);
    for (const { image } of pulled) expect(image).toMatch(/:v?\d+(\.\d+)+(-[a-z]+)?$/);
  });

  describe('the NATS cluster', () => {
    const servers = Object.keys(compose.services).filter((name) => /^nats-\d$/.test(name));
    const config = readFileSync(repoPath('deploy/compose/nats.conf'), 'utf8');

    it('has three servers, each routed to by the shared config, with its own name and store', () => {
      expect(servers).toEqual(['nats-1', 'nats-2', 'nats-3']);
      const routes = [...config.matchAll(/nats-route:\/\/([a-z0-9-]+):6222/g)].map(([, host]) => host);
      expect(routes).toEqual(servers);
      for (const name of servers) {
        const server = serviceNamed(name);
        expect(server.environment?.NATS_SERVER_NAME).toBe(name);
        expect(bindMounts(server)).toContainEqual({
          source: 'deploy/compose/nats.conf',
          target: '/etc/nats/gaji.conf',
        });
        expect(server.volumes).toContain(`${name}-data:/data`);
      }
    });

    it.each(['nats-1', 'nats-2', 'nats-3'])(
      'has a configuration nats-server accepts for %s',
      async (name) => {
        const result = await new Promise<{ code: number; output: string }>((resolve) =>
          execFile(
            'nats-server',
            ['-c', repoPath('deploy/compose/nats.conf'), '-t'],
            { env: { ...globalThis.process.env, NATS_SERVER_NAME: name } },
            (error, stdout, stderr) =>
              resolve({
                code: typeof error?.code === 'number' ? error.code : error ? -1 : 0,
                output: stdout + stderr,
              }),
          ),
        );
        expect(result.output).toContain('is valid');
        expect(result.code).toBe(0);
      },
    );

    it('gets the GAJI stream from the same configuration and script as Kubernetes', () => {
      const stream = serviceNamed('nats-stream');
      expect(bindMounts(stream)).toEqual([{ source: 'deploy/nats', target: '/etc/gaji' }]);
      expect(stream.command).toEqual(['sh', '/etc/gaji/ensure-stream.sh']);
      expect(stream.depends_on).toEqual(
        Object.fromEntries(servers.map((name) => [name, { condition: 'service_healthy' }])),
      );
    });
  });

  it('has Prometheus scrape every process where it listens, with the rules of deploy/prometheus', () => {
    const prometheus = serviceNamed('prometheus');
    expect(bindMounts(prometheus)).toContainEqual({ source: 'deploy/prometheus', target: '/etc/prometheus' });
    const config = parse(readFileSync(repoPath('deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: {
        job_name: string;
        metrics_path: string;
        static_configs: { targets: string[]; labels: { app: string } }[];
      }[];
    };
    const [job] = config.scrape_configs;
    expect(job?.job_name).toBe('gaji-market');
    expect(job?.metrics_path).toBe('/metrics');
    expect(job?.static_configs.map(({ targets, labels }) => ({ targets, app: labels.app }))).toEqual(
      processes.map((process) => ({ targets: [`${process.name}:${process.port}`], app: process.name })),
    );
  });
});
