import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freePort, waitForPort } from '@gaji/testkit';

interface Node {
  name: string;
  clientPort: number;
  clusterPort: number;
  storeDir: string;
  child?: ChildProcess;
}

/**
 * Three nats-server processes with JetStream in one cluster, routes on loopback ports: what the
 * Helm chart runs in production at R3, here. A node can be killed with -9 and brought back on its
 * store (it catches up from its peers).
 */
export class NatsCluster {
  private readonly root = mkdtempSync(join(tmpdir(), 'gaji-nats-cluster-'));

  private constructor(readonly nodes: Node[]) {}

  static async start(size = 3): Promise<NatsCluster> {
    const nodes: Node[] = [];
    for (let i = 1; i <= size; i++)
      nodes.push({
        name: `n${i}`,
        clientPort: await freePort(),
        clusterPort: await freePort(),
        storeDir: '',
      });
    const cluster = new NatsCluster(nodes);
    for (const node of nodes) node.storeDir = join(cluster.root, node.name);
    await Promise.all(nodes.map((node) => cluster.startNode(node.name)));
    await cluster.waitForJetStream();
    return cluster;
  }

  url(name = 'n1'): string {
    return `nats://127.0.0.1:${this.node(name).clientPort}`;
  }

  /** Every node's URL, comma-separated. */
  get urls(): string {
    return this.nodes.map((node) => this.url(node.name)).join(',');
  }

  async startNode(name: string): Promise<void> {
    const node = this.node(name);
    const routes = this.nodes
      .filter((other) => other !== node)
      .map((other) => `nats://127.0.0.1:${other.clusterPort}`)
      .join(',');
    node.child = spawn(
      'nats-server',
      [
        '-js',
        '-a',
        '127.0.0.1',
        '-p',
        String(node.clientPort),
        '-sd',
        node.storeDir,
        '-n',
        node.name,
        '--cluster_name',
        'gaji-drill',
        '--cluster',
        `nats://127.0.0.1:${node.clusterPort}`,
        '--routes',
        routes,
      ],
      { stdio: 'ignore' },
    );
    await waitForPort(node.clientPort, 15_000);
  }

  /** Listening is not serving: JetStream answers once the nodes have elected a meta leader. */
  async waitForJetStream(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const nc = await connect({ servers: this.urls.split(','), timeout: 2_000 });
      try {
        await jetstreamManager(nc, { timeout: 2_000 });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      } finally {
        await nc.close();
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async kill(name: string): Promise<void> {
    const child = this.node(name).child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async destroy(): Promise<void> {
    for (const node of this.nodes) {
      const child = node.child;
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
    }
    rmSync(this.root, { recursive: true, force: true });
  }

  private node(name: string): Node {
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`no node ${name}`);
    return node;
  }
}
