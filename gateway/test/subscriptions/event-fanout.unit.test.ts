import { EventsExpired } from '@gaji/platform/events';
import { describe, expect, it } from 'vitest';
import { EventFanout } from '../../src/subscriptions/event-fanout.js';
import type { StreamEvent } from '../../src/subscriptions/live-events.js';
import { InMemoryStream } from '../support/in-memory-stream.js';
import { aDeal, aStreamEvent, logger } from '../support/live.fixtures.js';

const placed = () =>
  aStreamEvent('PurchasePlaced', { ...aDeal(), priceKrw: 1_000, paymentId: 'pay' }, 0).event;

describe('event fan-out', () => {
  it('starts at the end of the stream: listeners hear what comes after, in order, with each sequence', async () => {
    const stream = new InMemoryStream();
    await stream.append(placed(), placed());
    const fanout = new EventFanout(stream, logger);
    await fanout.start();
    const heard: number[] = [];
    fanout.subscribe((event) => heard.push(event.sequence));

    await stream.append(placed(), placed());

    expect(heard).toEqual([3, 4]);
    expect(fanout.lastSequence).toBe(4);
  });

  it('every listener hears every event; one that unsubscribes hears no more', async () => {
    const stream = new InMemoryStream();
    const fanout = new EventFanout(stream, logger);
    await fanout.start();
    const first: number[] = [];
    const second: number[] = [];
    const leave = fanout.subscribe((event) => first.push(event.sequence));
    fanout.subscribe((event) => second.push(event.sequence));
    expect(fanout.subscriberCount).toBe(2);

    await stream.append(placed());
    leave();
    await stream.append(placed());

    expect(first).toEqual([1]);
    expect(second).toEqual([1, 2]);
    expect(fanout.subscriberCount).toBe(1);
  });

  it('a message that broke its contract reaches nobody, but the cursor moves past it', async () => {
    const stream = new InMemoryStream();
    const fanout = new EventFanout(stream, logger);
    await fanout.start();
    const heard: number[] = [];
    fanout.subscribe((event) => heard.push(event.sequence));

    await stream.append(placed(), null, placed());

    expect(heard).toEqual([1, 3]);
    expect(fanout.lastSequence).toBe(3);
  });

  it('a replay hands over the events after the cursor up to the given end', async () => {
    const stream = new InMemoryStream();
    await stream.append(...Array.from({ length: 10 }, placed));
    const fanout = new EventFanout(stream, logger);
    const replayed: StreamEvent[] = [];

    await fanout.replay(3, 8, async (event) => void replayed.push(event));

    expect(replayed.map((event) => event.sequence)).toEqual([4, 5, 6, 7, 8]);
  });

  it('a client that missed more than `limit` events is told they expired instead of getting only the last few', async () => {
    const stream = new InMemoryStream();
    await stream.append(...Array.from({ length: 10 }, placed));
    const fanout = new EventFanout(stream, logger);
    const replayed: StreamEvent[] = [];

    await expect(
      fanout.replay(0, 10, async (event) => void replayed.push(event), undefined, 2),
    ).rejects.toBeInstanceOf(EventsExpired);
    expect(replayed).toEqual([]);
  });
});
