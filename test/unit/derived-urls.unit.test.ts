import { describe, expect, it } from 'vitest';
import { derivedUrls } from '../../scripts/system/derived-urls.js';
import { auditConfigFrom } from '../../scripts/audit/audit-config.js';

describe('the URLs npm start derives from the subgraph URLs', () => {
  it('follow MEMBER_URL, PRODUCT_URL and PAYMENT_URL when only those are moved', () => {
    expect(
      derivedUrls({
        MEMBER_URL: 'http://127.0.0.1:5001/graphql',
        PRODUCT_URL: 'http://127.0.0.1:5002/graphql',
        PAYMENT_URL: 'http://127.0.0.1:5004/graphql',
      }),
    ).toEqual({
      MEMBER_JWKS_URL: 'http://127.0.0.1:5001/.well-known/jwks.json',
      PRODUCT_INTERNAL_URL: 'http://127.0.0.1:5002',
      PAYMENT_INTERNAL_URL: 'http://127.0.0.1:5004',
    });
  });

  it('leave a URL set on its own alone, and derive nothing from a subgraph URL left unset', () => {
    expect(
      derivedUrls({
        MEMBER_URL: 'http://127.0.0.1:5001/graphql',
        MEMBER_JWKS_URL: 'https://keys.example.com/jwks.json',
      }),
    ).toEqual({});
  });
});

describe('the consistency audit, pointed where npm start puts things', () => {
  it('reads EMBEDDED_POSTGRES_PORT and EMBEDDED_NATS_PORT as npm start does', () => {
    const config = auditConfigFrom({ EMBEDDED_POSTGRES_PORT: '6543', EMBEDDED_NATS_PORT: '5222' });
    expect(config.databases.member).toBe('postgresql://postgres:gaji@127.0.0.1:6543/gaji_member');
    expect(config.natsUrl).toBe('nats://127.0.0.1:5222');
  });
});
