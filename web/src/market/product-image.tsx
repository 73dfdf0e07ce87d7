/** The seller's photo, or a plain placeholder; decorative next to the title, so alt text stays short. */
export function ProductImage({
  url,
  title,
  large = false,
}: {
  url?: string | null | undefined;
  title: string;
  large?: boolean;
}) {
  const className = large ? 'product-image product-image--large' : 'product-image';
  if (!url) {
    return (
      <div className={`${className} product-image--none`} aria-hidden="true">
        {title.slice(0, 1).toUpperCase()}
      </div>
    );
  }
  return <img className={className} src={url} alt={`Photo of ${title}`} loading="lazy" />;
}
