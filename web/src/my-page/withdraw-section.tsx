import { useMutation } from '@apollo/client';
import { useState } from 'react';
import { graphQLErrorsOf } from '../graphql/graphql-errors';
import { navigate } from '../routing/navigation';
import { useSessionStore } from '../session/session-context';
import { WITHDRAW } from './my-page.operations';

/** Closing the account takes two deliberate steps; the member's products leave the market. */
export function WithdrawSection() {
  const sessions = useSessionStore();
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<string>();
  const [withdraw, { loading }] = useMutation(WITHDRAW);

  const confirm = async () => {
    setMessage(undefined);
    try {
      await withdraw();
      sessions.set(null);
      navigate('/', { replace: true });
    } catch (error) {
      setMessage(graphQLErrorsOf(error)[0]?.message ?? 'Your account could not be closed; try again.');
    }
  };

  return (
    <section className="panel panel--danger" aria-labelledby="withdraw-title">
      <h2 id="withdraw-title">Leave Gaji Market</h2>
      {confirming ? (
        <div role="group" aria-labelledby="withdraw-confirm-text">
          <p id="withdraw-confirm-text">
            This closes your account for good. Everything you are selling is taken off the market. Your past
            purchases and sales stay on record.
          </p>
          <p className="actions">
            <button
              type="button"
              className="button button--danger"
              onClick={() => void confirm()}
              disabled={loading}
            >
              {loading ? 'Closing…' : 'Yes, close my account'}
            </button>
            <button type="button" className="button button--secondary" onClick={() => setConfirming(false)}>
              Keep my account
            </button>
          </p>
        </div>
      ) : (
        <button type="button" className="button button--secondary" onClick={() => setConfirming(true)}>
          Withdraw…
        </button>
      )}
      {message && (
        <p className="notice notice--error" role="alert">
          {message}
        </p>
      )}
    </section>
  );
}
