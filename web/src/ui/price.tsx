import { formatPrice } from '../i18n/format';
import { useLanguage } from '../i18n/use-language';

/** "150,000원" (or "₩150,000" in English). */
export function Price({ krw, className = 'price' }: { krw: number; className?: string }) {
  return <span className={className}>{formatPrice(krw, useLanguage())}</span>;
}
