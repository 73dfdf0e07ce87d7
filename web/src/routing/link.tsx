import type { AnchorHTMLAttributes, MouseEvent, Ref } from 'react';
import { navigate } from './navigation';

/** An ordinary <a href> (so it works with the keyboard, middle-click and "open in new tab"). */
export function Link({
  to,
  onClick,
  ref,
  ...rest
}: { to: string; ref?: Ref<HTMLAnchorElement> } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    event.preventDefault();
    navigate(to);
  };
  return <a ref={ref} href={to} onClick={follow} {...rest} />;
}
