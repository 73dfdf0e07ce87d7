import { setTimeout as sleep } from 'node:timers/promises';
import type { JsMsg } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { InProgressAcks } from '../src/events/in-progress-acks.js';

/** Counts in-progress acks; `fails` makes each one throw, as the client does on a closed connection. */
function aMessage(fails = false): JsMsg & { workings: number } {
  const message = {
    workings: 0,
    working() {
      message.workings++;
      if (fails) throw new Error('CONNECTION_CLOSED');
    },
  };
  return message as unknown as JsMsg & { workings: number };
}

describe('in-progress acks', () => {
  it('one that cannot be sent (the connection closed) throws nowhere, and the others are still sent', async () => {
    const closed = aMessage(true);
    const other = aMessage();
    const acks = new InProgressAcks(() => [closed, other], 30, 10_000);
    await sleep(100);
    acks.stop();
    expect(closed.workings).toBeGreaterThan(1);
    expect(other.workings).toBeGreaterThan(1);
  });

  it('stop sending once a step has run past its deadline, and say so once, even if the worker moves on', async () => {
    const message = aMessage();
    const lapses: number[] = [];
    const acks = new InProgressAcks(
      () => [message],
      30,
      60,
      (stepMs) => lapses.push(stepMs),
    );
    await sleep(150);
    const sent = message.workings;
    acks.step(); // too late: the batch was let go
    await sleep(100);
    acks.stop();
    expect(sent).toBeGreaterThan(0);
    expect(message.workings).toBe(sent);
    expect(lapses).toHaveLength(1);
    expect(lapses[0]).toBeGreaterThanOrEqual(60);
    expect(acks.lapsed).toBe(true);
  });
});
