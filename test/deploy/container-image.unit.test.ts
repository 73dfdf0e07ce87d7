import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { posix } from 'node:path';
import { DockerfileParser, type Copy, type Instruction, type JSONInstruction } from 'dockerfile-ast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processes, repoPath } from './support/processes.js';

const dockerfile = DockerfileParser.parse(readFileSync(repoPath('Dockerfile'), 'utf8'));
const stages = dockerfile.getFROMs().map((from) => from.getBuildStage());
const instructionsOf = (stage: string) => {
  const from = dockerfile.getFROMs()[stages.indexOf(stage)]!;
  return dockerfile
    .getInstructions()
    .filter(
      (instruction) =>
        dockerfile.getContainingImage(instruction.getRange().start) ===
        dockerfile.getContainingImage(from.getRange().start),
    );
};
const argumentsOf = (instruction: Instruction) =>
  instruction.getArguments().map((argument) => argument.getValue());
const copiesOf = (stage: string) =>
  instructionsOf(stage)
    .filter((instruction): instruction is Copy => instruction.getKeyword() === 'COPY')
    .map((copy) => {
      const values = argumentsOf(copy);
      return {
        from: copy.getFromFlag()?.getValue() ?? undefined,
        sources: values.slice(0, -1),
        target: values.at(-1)!,
      };
    });
const runsOf = (stage: string) =>
  instructionsOf(stage)
    .filter((instruction) => instruction.getKeyword() === 'RUN')
    .map((instruction) => instruction.getArgumentsContent() ?? '');

/** The workspaces of the root package.json, as directories holding a package.json. */
function workspaces(): string[] {
  const { workspaces: patterns } = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as {
    workspaces: string[];
  };
  return patterns.flatMap((pattern) =>
    pattern.endsWith('/*')
      ? readdirSync(repoPath(pattern.slice(0, -2)), { withFileTypes: true })
          .filter(
            (entry) =>
              entry.isDirectory() &&
              existsSync(repoPath(`${pattern.slice(0, -2)}/${entry.name}/package.json`)),
          )
          .map((entry) => `${pattern.slice(0, -2)}/${entry.name}`)
      : [pattern],
  );
}

/** .dockerignore, for the patterns it uses: a path, `**\/name` and a basename glob like `*.log`. */
function ignoredByDockerignore(path: string): boolean {
  const patterns = readFileSync(repoPath('.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const segments = path.split('/');
  return patterns.some((pattern) => {
    if (pattern.startsWith('**/')) return segments.includes(pattern.slice(3));
    if (pattern.includes('*')) return posix.matchesGlob(posix.basename(path), pattern);
    return path === pattern || path.startsWith(`${pattern}/`);
  });
}

describe('the Dockerfile', () => {
  it('builds every stage from one Node 24 image pinned to an exact version', () => {
    const [nodeImage] = dockerfile
      .getInitialARGs()
      .filter((arg) => arg.getProperty()?.getName() === 'NODE_IMAGE');
    const image = nodeImage?.getProperty()?.getValue() ?? '';
    expect(image).toMatch(/^node:24\.\d+\.\d+-[a-z]+-slim$/);
    expect(dockerfile.getFROMs().map((from) => from.getImage())).toEqual(stages.map(() => '${NODE_IMAGE}'));
    for (const file of ['.nvmrc', '.node-version'].filter((candidate) => existsSync(repoPath(candidate)))) {
      const pinned = readFileSync(repoPath(file), 'utf8').trim().replace(/^v/, '');
      expect(image.startsWith(`node:${pinned}`), `${file} says ${pinned}`).toBe(true);
    }
  });

  it('installs from the lock file with every workspace’s package.json in place, then only production dependencies', () => {
    const manifests = [
      'package.json',
      ...workspaces().map((workspace) => `${workspace}/package.json`),
    ].sort();
    const copiedManifests = (stage: string) =>
      copiesOf(stage)
        .flatMap((copy) => copy.sources)
        .map((source) => source.replace(/^\/app\//, ''))
        .filter((source) => source.endsWith('package.json'))
        .sort();
    expect(copiedManifests('build')).toEqual(manifests);
    expect(copiedManifests('prod-deps')).toEqual(manifests);
    expect(runsOf('build')).toContain('npm ci --no-audit --no-fund');
    expect(runsOf('build')).toContain('npm run generate && npm run build');
    expect(runsOf('prod-deps')).toContain('npm ci --omit=dev --no-audit --no-fund');
  });

  it('copies only files that exist in the repository and that .dockerignore lets through', () => {
    const fromContext = stages.flatMap((stage) => copiesOf(stage!)).filter((copy) => copy.from === undefined);
    expect(fromContext.length).toBeGreaterThan(0);
    for (const source of fromContext.flatMap((copy) => copy.sources).filter((source) => source !== '.')) {
      expect(existsSync(repoPath(source)), source).toBe(true);
      expect(ignoredByDockerignore(source), `${source} is in .dockerignore`).toBe(false);
    }
  });

  it('brings tsx, which runs every process, and all it needs into the production dependencies', () => {
    const copied = copiesOf('prod-deps')
      .filter((copy) => copy.from === 'build')
      .flatMap((copy) => copy.sources)
      .filter((source) => source.startsWith('/app/node_modules/'))
      .map((source) => source.slice('/app/node_modules/'.length));
    const manifestOf = (name: string) =>
      JSON.parse(readFileSync(repoPath(`node_modules/${name}/package.json`), 'utf8')) as {
        dependencies?: Record<string, string>;
        optionalDependencies?: Record<string, string>;
      };
    const needed = ['tsx', ...Object.keys(manifestOf('tsx').dependencies ?? {})];
    const esbuildPlatforms = Object.keys(manifestOf('esbuild').optionalDependencies ?? {});
    expect(copied).toEqual(expect.arrayContaining(needed));
    expect(esbuildPlatforms.every((name) => copied.includes(name.split('/')[0]!))).toBe(true);
    // It is copied because it is only a devDependency; once a runtime package depends on it, drop the copy.
    const runtimeDependsOnTsx = workspaces().some(
      (workspace) =>
        'tsx' in (JSON.parse(readFileSync(repoPath(`${workspace}/package.json`), 'utf8')).dependencies ?? {}),
    );
    expect(runtimeDependsOnTsx).toBe(false);
  });

  it('runs as a numeric non-root user, listening on all interfaces, with a health check and an exec-form entry point', () => {
    const runtime = instructionsOf('runtime');
    const last = (keyword: string) =>
      runtime.filter((instruction) => instruction.getKeyword() === keyword).at(-1);
    expect(stages.at(-1)).toBe('runtime');
    expect(argumentsOf(last('USER')!)).toEqual([expect.stringMatching(/^[1-9]\d*:[1-9]\d*$/)]);
    expect(argumentsOf(last('ENV')!)).toContain('HOST=0.0.0.0');
    expect(
      (last('ENTRYPOINT') as JSONInstruction).getJSONStrings().map((value) => value.getJSONValue()),
    ).toEqual(['/app/deploy/docker/service.sh']);
    expect(last('HEALTHCHECK')?.getArgumentsContent()).toMatch(
      /CMD \["\/app\/deploy\/docker\/service\.sh", "health"\]$/,
    );
  });
});

/** service.sh's table: `name) entry=path default_port=N ;;`. */
const entries = [
  ...readFileSync(repoPath('deploy/docker/service.sh'), 'utf8').matchAll(
    /^\s+([a-z]+)\) entry=(\S+) default_port=(\d+) ;;$/gm,
  ),
].map(([, name, entry, port]) => ({ name: name!, entry: entry!, port: Number(port) }));

describe('the entry point deploy/docker/service.sh', () => {
  it('starts each process from the file its own `npm start` runs, on its config’s default port', () => {
    expect(entries.map((entry) => entry.name)).toEqual(processes.map((process) => process.name));
    for (const { name, entry, port } of entries) {
      const workspace = name === 'gateway' ? 'gateway' : `subgraphs/${name}`;
      const { scripts } = JSON.parse(readFileSync(repoPath(`${workspace}/package.json`), 'utf8')) as {
        scripts: { start: string };
      };
      expect(scripts.start).toBe(`tsx ${posix.relative(workspace, entry)}`);
      expect(port).toBe(processes.find((process) => process.name === name)?.port);
    }
  });

  // Asynchronous: the HTTP server it asks lives in this process and must keep answering.
  const healthOf = (env: Record<string, string>) =>
    new Promise<{ status: number; stderr: string }>((resolve) => {
      execFile(
        'sh',
        [repoPath('deploy/docker/service.sh'), 'health'],
        { env: { PATH: process.env.PATH, ...env } },
        (error, _stdout, stderr) =>
          resolve({ status: typeof error?.code === 'number' ? error.code : 0, stderr }),
      );
    });

  let ready = true;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((request, response) => {
      response.statusCode = request.url === '/health/ready' && ready ? 200 : 503;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    if (server.listening) server.close();
  });

  it('reports healthy while /health/ready answers 200 and unhealthy once it answers 503', async () => {
    ready = true;
    expect((await healthOf({ SERVICE: 'product', PORT: String(port) })).status).toBe(0);
    ready = false;
    expect((await healthOf({ SERVICE: 'product', PORT: String(port) })).status).toBe(1);
  });

  it('reports unhealthy when nothing listens on the port', async () => {
    await new Promise((resolve) => server.close(resolve));
    expect((await healthOf({ SERVICE: 'gateway', PORT: String(port) })).status).toBe(1);
  });

  it('refuses a SERVICE it does not know, naming the ones it does', async () => {
    const result = await healthOf({ SERVICE: 'inventory' });
    expect(result.status).toBe(64);
    expect(result.stderr).toContain('gateway, member, product, purchase, payment, mypage');
  });
});
