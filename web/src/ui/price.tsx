import { formatKrw } from './format';

export function Price({ krw, className = 'price' }: { krw: number; className?: string }) {
  return <span className={className}>{formatKrw(krw)}</span>;
}
