import { Link } from '../routing/link';

export function NotFoundPage() {
  return (
    <section className="panel narrow">
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. <Link to="/">Go to the market</Link>
      </p>
    </section>
  );
}
