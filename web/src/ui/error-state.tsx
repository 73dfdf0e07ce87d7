import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { graphQLErrorsOf } from '../graphql/graphql-errors';
import { tryAgainMessageOf } from './try-again';
import { useTryAgainCountdown } from './use-countdown';

/**
 * A failed load, said plainly, with a way to try again. `retry` must send the request again (it
 * resolves when the answer is in); the button says so meanwhile and keeps its focus. An error that
 * says when to try again is told so, and the button counts that wait down first.
 */
export function ErrorState({ error, retry }: { error: unknown; retry?: () => Promise<unknown> }) {
  const { t } = useTranslation();
  const [retrying, setRetrying] = useState(false);
  const offline = graphQLErrorsOf(error).length === 0;
  const waiting = useTryAgainCountdown(error);
  const again = async () => {
    if (retrying || waiting > 0 || !retry) return;
    setRetrying(true);
    try {
      await retry();
    } catch {
      // still failing: this state stays, with its message
    } finally {
      setRetrying(false);
    }
  };
  return (
    <div className="state state--error" role="alert">
      <p>{tryAgainMessageOf(error, t) ?? (offline ? t('state.offline') : t('state.failed'))}</p>
      {retry && (
        <button
          type="button"
          className="button button--secondary"
          onClick={() => void again()}
          aria-disabled={retrying || waiting > 0}
        >
          {retrying
            ? t('state.retrying')
            : waiting > 0
              ? t('state.retryIn', { seconds: waiting })
              : t('state.tryAgain')}
        </button>
      )}
    </div>
  );
}
