import {
  GraphQLError,
  Kind,
  print,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type OperationDefinitionNode,
} from 'graphql';
import { EventsExpired } from '@gaji/platform/events';
import type { RequestContext } from '@gaji/platform/graphql';
import type { Logger } from '@gaji/platform/logging';
import { inSpan, SpanKind } from '@gaji/platform/tracing';
import { AsyncChannel } from './async-channel.js';
import type { EventFanout } from './event-fanout.js';
import { liveFields, type LiveField, type StreamEvent } from './live-events.js';
import { routeOfSubscription, type LiveRoutes } from './live-routes.js';
import { MAX_REPLAYS_PER_GATEWAY, ReplaySlots, takeReplaySlots } from './replay-slots.js';
import type { SubscriptionExecutor } from './subscription-executor.js';
import type { SubscriptionPlanner } from './subscription-planner.js';

/** What the socket a subscription runs on is told when frames wait for it (websocket-server.ts). */
export interface Lagging {
  lagging?: (framesWaiting: number) => void;
}

/**
 * The `subscribe` of our graphql-ws server: a live stream of payloads for one subscription of
 * one subscriber, in stream order, each carrying its cursor. With `after: <cursor>` the events
 * the client missed are replayed first, then live ones follow without gap or duplicate.
 */
export class LiveSubscriptions {
  /** Replays under way on this gateway, each reading the stream with a consumer of its own. */
  readonly replays: ReplaySlots;

  constructor(
    private readonly planner: SubscriptionPlanner,
    private readonly executor: SubscriptionExecutor,
    private readonly fanout: EventFanout,
    private readonly routes: LiveRoutes,
    private readonly logger: Logger,
    maxReplays = MAX_REPLAYS_PER_GATEWAY,
  ) {
    this.replays = new ReplaySlots(maxReplays);
  }

  subscribe(args: ExecutionArgs): AsyncIterableIterator<ExecutionResult> {
    const context = args.contextValue as RequestContext;
    const identity = context.identity;
    const operation = args.document.definitions.find(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === Kind.OPERATION_DEFINITION &&
        (!args.operationName || definition.name?.value === args.operationName),
    );
    const root = operation?.selectionSet.selections.find(
      (selection): selection is FieldNode => selection.kind === Kind.FIELD,
    );
    const live = root ? liveFields[root.name.value] : undefined;
    if (!root || !live)
      throw new GraphQLError('Unknown subscription.', { extensions: { code: 'BAD_USER_INPUT' } });
    // The socket's auth check refuses private fields to anonymous sockets first; this keeps
    // delivery safe on its own.
    if (!identity && live.audience !== 'anyone')
      throw new GraphQLError('Sign in to subscribe to this.', { extensions: { code: 'UNAUTHENTICATED' } });
    const variables = (args.variableValues ?? {}) as Record<string, unknown>;
    const fieldArgs = argumentsOf(root, variables);
    const plan = this.planner.plan(args.document, printedOf(args.document), args.operationName ?? undefined);
    const after = cursorArgument(root, variables);

    let delivered = after ?? 0;
    // Only a resuming subscription has a replay to stop when its client goes.
    let gone: AbortController | undefined;
    let ended = false;
    const channel = new AsyncChannel<ExecutionResult>(() => {
      ended = true;
      gone?.abort();
      unsubscribe();
    });
    const process = async (streamEvent: StreamEvent) => {
      // The client went away: the rest of a replay's batch is not hydrated for nobody, and the
      // replay ends (its consumer deleted) as soon as the frame in hand is done.
      if (ended) return;
      if (streamEvent.sequence <= delivered) return; // replay and live overlap: each event once
      if (!live.events.includes(streamEvent.event.type)) return;
      if (!isFor(live, streamEvent, identity?.memberId, fieldArgs)) return; // not theirs
      delivered = streamEvent.sequence;
      // In the event's trace: a buy's trace ends with the frame handed to the subscriber's socket.
      const span = {
        kind: SpanKind.CONSUMER,
        traceparent: streamEvent.traceparent ?? null,
        attributes: { 'gaji.subscription.field': root.name.value, 'gaji.event.type': streamEvent.event.type },
      };
      await inSpan(`gateway push ${root.name.value}`, span, async () =>
        channel.push(await this.executor.execute(plan, live, streamEvent, context, variables)),
      );
      // Not taken at once: the socket is still writing an earlier frame, its client reading slowly
      // or not at all. The socket decides whether it has fallen too far behind (slow-clients.ts).
      if (channel.backlog > 0) (context as RequestContext & Lagging).lagging?.(channel.backlog);
    };
    // One chain per subscriber: payloads go out in stream order, one at a time.
    let chain = Promise.resolve();
    const enqueue = (work: () => Promise<void>) => {
      chain = chain
        .then(work)
        .catch((error: unknown) => this.logger.error({ err: error }, 'live delivery failed'));
    };

    // Listen first, then read the head: live events after the head queue up behind the replay.
    const route = routeOfSubscription(live, identity?.memberId, fieldArgs);
    const unsubscribe = route
      ? this.routes.subscribe(route, (streamEvent) => enqueue(() => process(streamEvent)))
      : () => undefined; // a public field naming no product: nothing will ever be for it
    const head = this.fanout.lastSequence;
    // A replay holds a slot of its socket's and of the gateway's until it ends; none free, the
    // subscription is refused before it starts (RATE_LIMITED / SERVICE_BUSY, retryAfterSeconds).
    let release: (() => void) | undefined;
    if (after !== undefined && after < head) {
      try {
        release = takeReplaySlots(
          (context as RequestContext & { replays?: ReplaySlots }).replays,
          this.replays,
        );
      } catch (error) {
        unsubscribe();
        throw error;
      }
    }
    if (after !== undefined && after > head) this.refuseIfNeverHandedOut(after, channel);
    if (release && after !== undefined) {
      const replayFrom = after;
      const { signal } = (gone = new AbortController());
      // Put the replay ahead of anything queued: it must run before the live events.
      const queued = chain;
      chain = (async () => {
        try {
          await this.fanout.replay(replayFrom, head, process, signal);
        } finally {
          release(); // the replay's consumer is deleted by now
        }
        await queued;
      })().catch((error: unknown) => {
        if (!(error instanceof EventsExpired)) return this.logger.error({ err: error }, 'replay failed');
        // What the client missed is gone: tell it to reload, and end this subscription rather
        // than carry on with a hole in its updates.
        this.logger.warn(
          { after: replayFrom, from: error.from },
          'resumed subscription ended: events expired',
        );
        channel.push({
          errors: [new GraphQLError(error.message, { extensions: { code: error.code, ...error.details } })],
        });
        channel.close();
      });
    }
    return channel;
  }

  /**
   * A cursor past this reader's head may be honest (another replica handed it out a moment before
   * its event reached us), but one past the stream's own end was never handed out: waiting for it
   * would mean silence until the stream got that far. It is answered as expired events are: a
   * client holding a cursor of a stream since recreated drops it and reloads (EVENTS_EXPIRED),
   * where BAD_USER_INPUT would have it resubscribe with the same cursor again and again.
   */
  private refuseIfNeverHandedOut(after: number, channel: AsyncChannel<ExecutionResult>): void {
    this.fanout.streamEnd().then(
      (end) => {
        if (after <= end) return;
        const expired = new EventsExpired(after, null, 'the stream never reached that cursor');
        channel.push({
          errors: [
            new GraphQLError(expired.message, {
              extensions: { code: expired.code, field: 'after', ...expired.details },
            }),
          ],
        });
        channel.close();
      },
      // The stream cannot say now: the subscription carries on as it would have.
      (error: unknown) => this.logger.warn({ err: error }, 'could not check a resume cursor'),
    );
  }
}

/**
 * Documents are shared by every subscription sending the same text (SubscriptionDocuments), so
 * the text the plan cache is keyed by is printed once per document, not once per subscription.
 */
const printed = new WeakMap<DocumentNode, string>();
function printedOf(document: DocumentNode): string {
  let source = printed.get(document);
  if (source === undefined) printed.set(document, (source = print(document)));
  return source;
}

function isFor(
  live: LiveField,
  { event }: StreamEvent,
  memberId: string | undefined,
  args: Record<string, unknown>,
): boolean {
  if (live.matches && !live.matches(event, args)) return false;
  if (live.audience === 'anyone') return true;
  return memberId !== undefined && live.audience(event).includes(memberId);
}

/** The root field's arguments with variables substituted (literal scalars only: IDs and cursors). */
function argumentsOf(field: FieldNode, variables: Record<string, unknown>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const argument of field.arguments ?? []) {
    const value = argument.value;
    values[argument.name.value] =
      value.kind === Kind.VARIABLE
        ? variables[value.name.value]
        : value.kind === Kind.STRING || value.kind === Kind.INT
          ? value.value
          : undefined;
  }
  return values;
}

function cursorArgument(field: FieldNode, variables: Record<string, unknown>): number | undefined {
  const argument = field.arguments?.find((arg) => arg.name.value === 'after');
  if (!argument) return undefined;
  const raw =
    argument.value.kind === Kind.VARIABLE
      ? variables[argument.value.name.value]
      : argument.value.kind === Kind.STRING
        ? argument.value.value
        : undefined;
  // "" is no cursor, as `after: ""` is for the lists (products, productsConnection): Number("")
  // would read it as 0 and replay the whole stream.
  if (raw === undefined || raw === null || raw === '') return undefined;
  const cursor = Number(raw);
  if (!Number.isSafeInteger(cursor) || cursor < 0)
    throw new GraphQLError('`after` must be a cursor received from this subscription.', {
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
    });
  return cursor;
}
