import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorCode, graphQLErrorsOf } from '../graphql/graphql-errors';
import { tryAgainMessageOf } from './try-again';
import { useTryAgainCountdown } from './use-countdown';

export interface InlineConfirmProps {
  /** The button that starts it, e.g. "Delete", and its accessible name. */
  trigger: { label: string; ariaLabel?: string };
  question: string;
  confirm: { label: string; busyLabel: string };
  keepLabel: string;
  /** The action; throws the server's error when it fails. */
  run: () => Promise<unknown>;
  /** Messages for the typed errors this action can meet (by `extensions.code`). */
  messages?: Record<string, string>;
  fallback: string;
}

/**
 * A destructive action in two deliberate steps, with the server's typed error shown beside it.
 * Focus follows the steps (trigger → confirm → back to trigger on "keep"), and a busy button stays
 * focusable (aria-disabled, not disabled), so keyboard users are never thrown to the top. A refusal
 * that says when to try again is told so (instead of the fallback), and the confirm button counts
 * that wait down.
 */
export function InlineConfirm({
  trigger,
  question,
  confirm,
  keepLabel,
  run,
  messages = {},
  fallback,
}: InlineConfirmProps) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const { t } = useTranslation();
  const [failure, setFailure] = useState<unknown>();
  const waiting = useTryAgainCountdown(failure);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const triggerButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (returnFocus.current) triggerButton.current?.focus();
    returnFocus.current = false;
  }, [confirming]);

  const go = async () => {
    if (busy || waiting > 0) return;
    setFailure(undefined);
    setBusy(true);
    try {
      await run();
      setConfirming(false);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  // Worded at each render, not kept as text: a change of language rewords it with the page.
  const message =
    failure === undefined
      ? undefined
      : (messages[errorCode(graphQLErrorsOf(failure)[0]) ?? ''] ?? tryAgainMessageOf(failure, t) ?? fallback);
  const keep = () => {
    returnFocus.current = true;
    setConfirming(false);
  };

  return (
    <div className="inline-confirm">
      {confirming ? (
        <>
          <span>{question}</span>
          <button
            ref={confirmButton}
            type="button"
            className="button button--danger"
            onClick={() => void go()}
            aria-disabled={busy || waiting > 0}
          >
            {busy
              ? confirm.busyLabel
              : waiting > 0
                ? t('state.retryIn', { seconds: waiting })
                : confirm.label}
          </button>
          <button type="button" className="button button--secondary" onClick={keep}>
            {keepLabel}
          </button>
        </>
      ) : (
        <button
          ref={triggerButton}
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
