import { readFileSync } from 'node:fs';
import { baseConfigSchema } from '@gaji/platform/config';
import { ensureStream } from '@gaji/platform/events';
import { createTestStream, testNatsUrl } from '@gaji/testkit';
import { jetstreamManager, type StreamConfig } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { repoPath } from './support/processes.js';

const streamFile = JSON.parse(readFileSync(repoPath('deploy/nats/gaji-stream.json'), 'utf8')) as StreamConfig;

describe('the GAJI stream configuration (deploy/nats/gaji-stream.json)', () => {
  it('names the stream and the subjects the services use by default, at three replicas', () => {
    const defaults = baseConfigSchema.parse({});
    expect(streamFile.name).toBe(defaults.EVENT_STREAM);
    expect(streamFile.subjects).toEqual([`${defaults.EVENT_SUBJECT_PREFIX}.>`]);
    expect(streamFile.num_replicas).toBe(3);
  });

  it('gives, on a real JetStream, the stream the services create themselves, but for its replicas', async () => {
    // The machine's JetStream is one server: the file's three replicas are checked by the drill's cluster.
    const byServices = createTestStream('deploy_services');
    const byFile = createTestStream('deploy_file');
    const nc = await connect({ servers: testNatsUrl });
    try {
      const jsm = await jetstreamManager(nc);
      await ensureStream(jsm, byServices.stream, byServices.subjectPrefix);
      await jsm.streams.add({
        ...streamFile,
        name: byFile.stream,
        subjects: [`${byFile.subjectPrefix}.>`],
        num_replicas: 1,
      });
      const comparable = async (stream: string) => {
        const {
          name: _name,
          subjects: _subjects,
          metadata: _metadata,
          ...config
        } = (await jsm.streams.info(stream)).config;
        return config;
      };
      const created = await comparable(byServices.stream);
      expect(created).toMatchObject({
        storage: 'file',
        retention: 'limits',
        duplicate_window: 600_000_000_000,
      });
      expect(await comparable(byFile.stream)).toEqual(created);
    } finally {
      await nc.close();
      await byServices.remove();
      await byFile.remove();
    }
  });
});
