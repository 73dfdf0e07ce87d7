import { eventually } from '@gaji/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createPlatformRig, type PlatformRig } from './event-platform.fixtures.js';
import type { HeldTransaction } from './held-transaction.fixtures.js';
import {
  ackedBy,
  aPassWaits,
  committed,
  holdingOutboxRows,
  holdingRelayLock,
  startedRelay,
} from './outbox-relay.fixtures.js';

/** `OutboxRelay.published`: how long an answer waits for its commit's events to reach the stream. */
describe('outbox relay: published() (real PostgreSQL, real JetStream)', () => {
  let rig: PlatformRig | undefined;
  afterEach(async () => {
    await rig?.dispose();
    rig = undefined;
  });

  it('lets a commit’s answer go once its events are acked by a pass begun after it, not by the pass already running', async () => {
    rig = await createPlatformRig('relay_published');
    const { js, acked } = ackedBy(rig);
    const first = await committed(rig);
    const rows = await holdingOutboxRows(rig);
    const relay = startedRelay(rig, js);
    try {
      await aPassWaits(rig);
      const second = await committed(rig); // after the running pass's snapshot
      const waiting = relay.published(second.at, 10_000);
      await rows.release(); // the running pass publishes `first` only
      expect(await waiting).toBe('published'); // let go by a pass, not by the deadline
      expect(acked).toEqual([...first.ids, ...second.ids]); // read the moment it let go
    } finally {
      await rows.release(); // first: a pass waiting for these rows holds stop() until it ends
      await relay.stop();
    }
  });

  it('holds the answer while another replica holds the relay lock, and while rows remain for a next batch', async () => {
    rig = await createPlatformRig('relay_published_lock');
    const r = rig;
    const { js, acked } = ackedBy(r);
    const otherReplica = await holdingRelayLock(r); // mid-pass: it holds the lock, publishes nothing of ours
    const relay = startedRelay(r, js, 2); // three events: a full batch of two, then one
    try {
      const events = await committed(r, 3);

      let settled = false;
      const waiting = relay.published(events.at, 10_000).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 200)); // passes keep missing the lock
      expect({ settled, acked }).toEqual({ settled: false, acked: [] });
      await otherReplica.release();
      expect(await waiting).toBe('published');
      expect(acked).toEqual(events.ids); // both batches, the full one and the rest
    } finally {
      await otherReplica.release();
      await relay.stop();
    }
  });

  it('retries a pass that missed the lock soon, even before anyone waits: an answer asking later is not left to the poll', async () => {
    rig = await createPlatformRig('relay_published_late_ask');
    const r = rig;
    const { js, acked } = ackedBy(r);
    const otherReplica = await holdingRelayLock(r);
    const relay = startedRelay(r, js); // polls once a minute: only its own retries can publish
    try {
      const events = await committed(r); // its kick runs a pass that misses the lock
      await new Promise((resolve) => setTimeout(resolve, 100)); // the answer is still being computed
      await otherReplica.release();
      expect(await relay.published(events.at, 5_000)).toBe('published');
      expect(acked).toEqual(events.ids);
    } finally {
      await otherReplica.release();
      await relay.stop();
    }
  });

  it('answers at once for events already published, at its deadline while they cannot go out, and at once from a stopped relay', async () => {
    rig = await createPlatformRig('relay_published_deadline');
    const r = rig;
    const { js, acked } = ackedBy(r);
    const relay = startedRelay(r, js);
    let otherReplica: HeldTransaction | undefined;
    try {
      const early = await committed(r);
      await eventually(() => expect(acked).toEqual(early.ids));
      expect(await relay.published(early.at, 10_000)).toBe('published');

      otherReplica = await holdingRelayLock(r);
      const late = await committed(r);
      const asked = performance.now();
      expect(await relay.published(late.at, 300)).toBe('deadline');
      expect(performance.now() - asked).toBeGreaterThanOrEqual(290);
    } finally {
      await otherReplica?.release();
      await relay.stop();
    }

    expect(await relay.published(performance.now(), 10_000)).toBe('relay_down');
  });

  it('lets an answer still waiting when the relay stops go at once (relay_down), and publishes its events once started again', async () => {
    rig = await createPlatformRig('relay_published_stop');
    const r = rig;
    const { js, acked } = ackedBy(r);
    const otherReplica = await holdingRelayLock(r); // no pass of ours can cover the commit meanwhile
    const relay = startedRelay(r, js);
    try {
      const events = await committed(r);
      const waiting = relay.published(events.at, 10_000);
      await relay.stop();
      expect(await waiting).toBe('relay_down'); // let go by the stop, not kept to its deadline

      await otherReplica.release();
      relay.start();
      await eventually(() => expect(acked).toEqual(events.ids));
      expect(await relay.published(events.at, 10_000)).toBe('published');
    } finally {
      await otherReplica.release();
      await relay.stop();
    }
  });

  it('lets an answer waiting across a stop and a start made before that stop was over go once the new run has published its events', async () => {
    rig = await createPlatformRig('relay_published_restart');
    const r = rig;
    const { js, acked } = ackedBy(r);
    const first = await committed(r);
    const rows = await holdingOutboxRows(r);
    const relay = startedRelay(r, js);
    try {
      await aPassWaits(r);
      const second = await committed(r); // after the running pass's snapshot: only a later pass covers it
      const waiting = relay.published(second.at, 10_000);
      const stopping = relay.stop(); // waits for the pass in flight
      relay.start(); // not awaited, as a lifecycle restarting quickly would
      await rows.release();
      await stopping;
      // Not let go by the stop (relay_down): the relay runs again, and its first pass covers it.
      expect(await waiting).toBe('published');
      expect(acked).toEqual([...first.ids, ...second.ids]);
    } finally {
      await rows.release();
      await relay.stop();
    }
  });
});
