export function SiteFooter() {
  return (
    <footer className="site-footer">
      <p>Gaji Market (가지마켓) — second-hand, first-rate.</p>
      {import.meta.env.DEV && (
        <p>
          Developer? Explore the API in <a href="/graphql">Apollo Sandbox</a>.
        </p>
      )}
    </footer>
  );
}
