import { useState } from 'react';
import { errorCode, graphQLErrorsOf } from '../graphql/graphql-errors';

export interface InlineConfirmProps {
  /** The button that starts it, e.g. "Delete", and its accessible name. */
  trigger: { label: string; ariaLabel?: string };
  question: string;
  confirm: { label: string; busyLabel: string };
  keepLabel?: string;
  /** The action; throws the server's error when it fails. */
  run: () => Promise<unknown>;
  /** Messages for the typed errors this action can meet (by `extensions.code`). */
  messages?: Record<string, string>;
  fallback: string;
}

/** A destructive action in two deliberate steps, with the server's typed error shown beside it. */
export function InlineConfirm({
  trigger,
  question,
  confirm,
  keepLabel = 'Keep it',
  run,
  messages = {},
  fallback,
}: InlineConfirmProps) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();

  const go = async () => {
    setMessage(undefined);
    setBusy(true);
    try {
      await run();
      setConfirming(false);
    } catch (error) {
      const first = graphQLErrorsOf(error)[0];
      setMessage(messages[errorCode(first) ?? ''] ?? first?.message ?? fallback);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="inline-confirm">
      {confirming ? (
        <>
          <span>{question}</span>
          <button type="button" className="button button--danger" onClick={() => void go()} disabled={busy}>
            {busy ? confirm.busyLabel : confirm.label}
          </button>
          <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
            {keepLabel}
          </button>
        </>
      ) : (
        <button
          type="button"
          className="button button--secondary"
          onClick={() => setConfirming(true)}
          aria-label={trigger.ariaLabel}
        >
          {trigger.label}
        </button>
      )}
      {message && (
        <p className="notice notice--error" role="alert">
          {message}
        </p>
      )}
    </div>
  );
}
