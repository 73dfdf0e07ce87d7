import { useTranslation } from 'react-i18next';
import { Link } from '../routing/link';
import { myPagePath } from '../routing/routes';

/**
 * The item is the member's own, bought and not cancelled (as `myPurchaseOf` says): instead of
 * "판매완료", where to see the deal — and cancel it, which My Page's purchases offer.
 */
export function MyPurchaseNotice() {
  const { t } = useTranslation();
  return (
    <div className="notice notice--success" role="status" data-my-purchase="PAID">
      <p>
        <strong>{t('product.yours')}</strong>
      </p>
      <p>
        <Link to={myPagePath('purchases')}>{t('product.seeOnMyPage')}</Link>
      </p>
    </div>
  );
}
