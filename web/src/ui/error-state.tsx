import { graphQLErrorsOf } from '../graphql/graphql-errors';

/** A failed load, said plainly, with a way to try again. */
export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const message =
    graphQLErrorsOf(error)[0]?.message ??
    'We could not reach Gaji Market. Check your connection and try again.';
  return (
    <div className="state state--error" role="alert">
      <p>{message}</p>
      {retry && (
        <button type="button" className="button button--secondary" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}
