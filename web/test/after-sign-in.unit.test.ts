import { describe, expect, it } from 'vitest';
import { afterSignIn } from '../src/auth/signed-in';

const origin = 'https://gaji.example';
const after = (next: string) => afterSignIn(`?next=${encodeURIComponent(next)}`, origin);

describe('where a sign-in goes next', () => {
  it('goes back to the page of ours that asked, with its query and fragment', () => {
    expect(after('/products/abc')).toBe('/products/abc');
    expect(after('/sell?from=log-in#top')).toBe('/sell?from=log-in#top');
  });

  it('goes to the market for an address the browser reads as another origin, however it starts', () => {
    for (const next of [
      '//elsewhere.example/x',
      '/\\elsewhere.example/x',
      '/\t/elsewhere.example',
      'https://elsewhere.example/',
      // Dot-segments resolve to a path starting with `//`, which names another origin too.
      '/.//elsewhere.example/x',
      '/a/..//elsewhere.example',
      '/..//elsewhere.example/x',
      // Addresses the URL parser refuses outright (a bad host, a bad port) are not ours either.
      '//[',
      '/\\[',
      '//a b',
      '/\\a:99999',
    ])
      expect(after(next), JSON.stringify(next)).toBe('/');
    expect(afterSignIn('', origin)).toBe('/');
  });
});
