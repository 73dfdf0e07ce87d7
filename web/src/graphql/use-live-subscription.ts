import { useApolloClient, type TypedDocumentNode } from '@apollo/client';
import { useEffect, useRef, useState } from 'react';
import { firstErrorWithCode } from './graphql-errors';
import { useSessionStore } from '../session/session-context';
import { afterLiveError } from './live-link';
import { useLiveSocket } from './live-socket-context';
import type { LiveStatus } from './live-socket';
import { TokenRenewals } from './token-renewals';

const MAX_BACKOFF_MS = 10_000;

/**
 * Follows a subscription for as long as the component lives. When it ends — the socket closed
 * (network, gateway restart) or the server refused it — it re-subscribes with backoff (at once
 * when the gateway closed with 1012, "service restart"), reading `variables()` afresh (My Page
 * passes its last cursor as `after`, so the gateway replays what was missed). When the gateway
 * closed on the token — expired (4401) or the session refused (4403) — it does not reconnect until
 * the refresh cookie has spoken: a session that has ended ends here too, and the page asks the
 * member to log in again; a renewed one reconnects as TokenRenewals says. `onConnected` fires on
 * every (re)connection of the socket: changes while it was down are not replayed for every field,
 * so the caller reloads its view then. Answers the socket's status.
 */
export function useLiveSubscription<TData, TVariables extends Record<string, unknown>>(
  document: TypedDocumentNode<TData, TVariables>,
  {
    variables,
    onData,
    onConnected,
    onExpired,
    key,
  }: {
    variables: () => TVariables;
    onData: (data: TData) => void;
    onConnected?: () => void;
    /**
     * The gateway no longer holds the events after the cursor `variables()` resumed from
     * (EVENTS_EXPIRED): the caller forgets its cursor and reloads its view before the re-subscription.
     */
    onExpired?: () => void;
    /** A new key starts a new subscription (e.g. another product). */
    key?: string;
  },
): LiveStatus {
  const client = useApolloClient();
  const live = useLiveSocket();
  const sessions = useSessionStore();
  const [status, setStatus] = useState<LiveStatus>(live.current());
  const handlers = useRef({ variables, onData, onConnected, onExpired });
  handlers.current = { variables, onData, onConnected, onExpired };

  useEffect(
    () =>
      live.onStatus((next) => {
        setStatus(next);
        if (next === 'connected') handlers.current.onConnected?.();
      }),
    [live],
  );

  useEffect(() => {
    let stopped = false;
    let failures = 0;
    let retryTimer: number | undefined;
    let subscription: { unsubscribe(): void } | undefined;
    const renewals = new TokenRenewals();
    // The socket is shared: it may have been acknowledged before this subscription began.
    if (live.current() === 'connected') renewals.connected();
    const stopWatching = live.onStatus((next) => {
      if (next === 'connecting') renewals.connecting();
      if (next === 'connected') renewals.connected();
    });

    const subscribe = () => {
      subscription = client
        .subscribe({ query: document, variables: handlers.current.variables() })
        .subscribe({
          next: ({ data }) => {
            if (!data) return;
            failures = 0;
            handlers.current.onData(data);
          },
          error: (error: unknown) => {
            const next = afterLiveError(error);
            if (next === 'resume-at-once') return resubscribeAfterRestart();
            if (next === 'renew-token') return renewToken('expired');
            if (next === 'confirm-session') return renewToken('refused');
            if (firstErrorWithCode(error, 'EVENTS_EXPIRED')) handlers.current.onExpired?.();
            resubscribe();
          },
          complete: () => resubscribe(),
        });
    };
    // The gateway said it is restarting (1012): come back at once, spread over a quarter second
    // so every client of that replica does not reconnect in the same instant.
    const resubscribeAfterRestart = () => {
      if (stopped) return;
      failures = 0;
      retryTimer = window.setTimeout(subscribe, Math.random() * 250);
    };
    // The gateway closed on the token (4401 expired, 4403 refused): the refresh cookie decides. Ended
    // (a withdrawal, a log-out elsewhere), the store says so — the page shows "다시 로그인해 주세요"
    // and a signed-out client replaces this one — and nothing reconnects. Renewed, it reconnects
    // with the new token as TokenRenewals says, or ends the session if the gateway keeps refusing.
    // No answer, it backs off and tries again. Refused at connection_init soon after a renewal, it
    // only backs off with the token it has (TokenRenewals.mayRenew).
    const renewToken = (after: 'expired' | 'refused') => {
      if (!renewals.mayRenew()) return resubscribe();
      void sessions.confirm().then((outcome) => {
        if (stopped || outcome === 'ended') return;
        if (outcome !== 'renewed') return resubscribe();
        const next = renewals.renewed(after);
        if (next === 'end-session') return void sessions.endRefused();
        if (next === 'reconnect-at-once') return resubscribeAfterRestart();
        resubscribe();
      });
    };
    const resubscribe = () => {
      if (stopped) return;
      failures += 1;
      retryTimer = window.setTimeout(subscribe, Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(failures, 6)));
    };

    subscribe();
    return () => {
      stopped = true;
      stopWatching();
      window.clearTimeout(retryTimer);
      subscription?.unsubscribe();
    };
  }, [client, live, sessions, document, key]);

  return status;
}
