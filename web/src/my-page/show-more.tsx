import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * "더 보기" under one of My Page's lists, while it has a next page: loads it (`load` answers how
 * many items came) and says so to screen readers, as the market's button does.
 */
export function ShowMore({ hasNextPage, load }: { hasNextPage: boolean; load: () => Promise<number> }) {
  const { t } = useTranslation();
  const [loading, setLoading] = useState(false);
  const [outcome, setOutcome] = useState<{ loaded: number } | { failed: true }>();
  const more = async () => {
    if (loading) return;
    setLoading(true);
    try {
      setOutcome({ loaded: await load() });
    } catch {
      setOutcome({ failed: true });
    } finally {
      setLoading(false);
    }
  };
  return (
    <>
      <p className="visually-hidden" role="status">
        {outcome && 'loaded' in outcome ? t('myPage.loadedMore', { count: outcome.loaded }) : ''}
      </p>
      {outcome && 'failed' in outcome && (
        <p className="muted" role="alert">
          {t('myPage.loadMoreFailed')}
        </p>
      )}
      {hasNextPage && (
        <p className="center">
          <button
            type="button"
            className="button button--secondary button--wide"
            onClick={() => void more()}
            aria-disabled={loading}
          >
            {loading ? t('myPage.loadingMore') : t('myPage.loadMore')}
          </button>
        </p>
      )}
    </>
  );
}
