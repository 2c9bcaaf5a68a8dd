import { ConfigError } from '@agdar/service-kit';
import { loadGatewayConfig } from '../config';
import { consoleSettingsOf, contentSecurityPolicy } from './console-site';

const base = {
  JWT_SECRET: 'a-development-secret-of-length',
  SCHEDULING_URL: 'http://scheduling:3001',
  PARTICIPANT_URL: 'http://participant:3002',
  BILLING_URL: 'http://billing:3003',
  NOTIFICATION_URL: 'http://notification:3004',
  REDIS_URL: 'redis://redis:6379',
};

describe('how the console signs in', () => {
  it('lists demo users only in development', () => {
    const settings = consoleSettingsOf(loadGatewayConfig({ ...base, DEV_SIGN_IN_TENANT: 'AGDAR' }));
    expect(settings).toMatchObject({ signIn: 'development', tenant: 'AGDAR' });
    expect(settings.signIn === 'development' && settings.users.map((u) => u.roles[0])).toEqual([
      'admin',
      'reception',
      'provider',
      'billing',
    ]);
  });

  it('refuses development sign-in in production and beside an identity provider', () => {
    expect(() => loadGatewayConfig({ ...base, DEV_SIGN_IN_TENANT: 'AGDAR', NODE_ENV: 'production' })).toThrow(
      /DEV_SIGN_IN_TENANT must not be set with NODE_ENV=production/,
    );
    expect(() =>
      loadGatewayConfig({ ...base, DEV_SIGN_IN_TENANT: 'AGDAR', JWKS_URL: 'https://id.example.com/jwks' }),
    ).toThrow(ConfigError);
  });

  it('sends production users to the identity provider, which the page may then talk to', () => {
    const config = loadGatewayConfig({
      ...base,
      OIDC_ISSUER: 'https://id.example.com/realms/agdar',
      OIDC_CLIENT_ID: 'console',
    });
    expect(consoleSettingsOf(config)).toEqual({
      signIn: 'oidc',
      authority: 'https://id.example.com/realms/agdar',
      clientId: 'console',
      scope: 'openid profile',
    });
    const policy = contentSecurityPolicy(config);
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self' https://id.example.com");
    expect(() => loadGatewayConfig({ ...base, OIDC_ISSUER: 'https://id.example.com' })).toThrow(/OIDC_CLIENT_ID/);
  });

  it('says nobody can sign in when neither is configured', () => {
    expect(consoleSettingsOf(loadGatewayConfig(base))).toEqual({ signIn: 'none' });
  });
});
