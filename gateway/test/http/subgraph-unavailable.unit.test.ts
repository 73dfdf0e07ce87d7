import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  SubgraphBusy,
  SubgraphUnreachable,
  subgraphUnavailable,
} from '../../src/http/subgraph-unavailable.js';

const passThrough = (formatted: GraphQLFormattedError) => ({
  ...formatted,
  extensions: { code: 'PASSED_ON' },
});
const format = subgraphUnavailable(passThrough, { nameService: true });

describe('subgraph unavailable', () => {
  it('an unreachable subgraph, however deep Apollo wrapped it, is SUBGRAPH_UNAVAILABLE naming the subgraph', () => {
    const unreachable = new SubgraphUnreachable('payment', 'connect ECONNREFUSED');
    const wrapped = new GraphQLError(unreachable.message, { originalError: unreachable, path: ['buy'] });
    const rewrapped = new GraphQLError('outer', { originalError: new Error('middle', { cause: wrapped }) });

    for (const error of [unreachable, wrapped, rewrapped]) {
      expect(format({ message: error.message, path: ['buy'] }, error)).toEqual({
        message: 'The payment service is unavailable right now; please retry shortly.',
        path: ['buy'],
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', retryAfterSeconds: 5, serviceName: 'payment' },
      });
    }
  });

  it('in production names no subgraph: neither of an outage nor of an error it passed on', () => {
    const production = subgraphUnavailable(
      (formatted) => ({ ...formatted, extensions: { code: 'PRODUCT_NOT_FOUND', serviceName: 'product' } }),
      { nameService: false },
    );
    const unreachable = new SubgraphUnreachable('payment', 'connect ECONNREFUSED');
    expect(production({ message: unreachable.message }, unreachable)).toEqual({
      message: 'A part of Gaji Market is unavailable right now; please retry shortly.',
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', retryAfterSeconds: 5 },
    });
    const passedOn = new Error('not found');
    expect(production({ message: 'not found' }, passedOn).extensions).toEqual({ code: 'PRODUCT_NOT_FOUND' });
  });

  it('a message that merely reads like one is not taken for an outage', () => {
    const lookalike = new Error('subgraph payment unreachable: says a resolver');
    expect(format({ message: lookalike.message }, lookalike).extensions).toEqual({ code: 'PASSED_ON' });
  });

  it('a call refused unsent (it waited too long for a connection) is SERVICE_BUSY: nothing was done, retry soon', () => {
    const busy = new SubgraphBusy('purchase', 'waited 612 ms for a connection');
    const wrapped = new GraphQLError(busy.message, { originalError: busy, path: ['buy'] });
    expect(format({ message: wrapped.message, path: ['buy'] }, wrapped)).toEqual({
      message: 'Too many requests right now; nothing was done. Please try again shortly.',
      path: ['buy'],
      extensions: { code: 'SERVICE_BUSY', retryAfterSeconds: 1 },
    });
  });
});
