import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The seller's photo, or a placeholder when there is none or it does not load (a broken link shows
 * the placeholder, never the browser's broken-image icon and alt text spilling over the layout).
 * A thumbnail sits beside the product's title, so it is decorative (empty alt); the large photo of
 * the product page is described.
 */
export function ProductImage({
  url,
  title,
  variant = 'thumb',
}: {
  url?: string | null | undefined;
  title: string;
  variant?: 'thumb' | 'large';
}) {
  const { t } = useTranslation();
  const [failed, setFailed] = useState<string>();
  const className = `product-image product-image--${variant}`;
  const decorative = variant === 'thumb';
  if (!url || failed === url) {
    return (
      <div
        className={`${className} product-image--none`}
        {...(decorative ? { 'aria-hidden': true } : { role: 'img', 'aria-label': t('image.none') })}
      >
        <span aria-hidden="true">{Array.from(title.trim())[0] ?? '?'}</span>
      </div>
    );
  }
  return (
    <img
      className={className}
      src={url}
      alt={decorative ? '' : t('image.photoOf', { title })}
      loading={variant === 'thumb' ? 'lazy' : 'eager'}
      decoding="async"
      referrerPolicy="no-referrer"
      onError={() => setFailed(url)}
    />
  );
}
