// A real OpenID Connect provider for the console's sign-in test: panva's oidc-provider (certified), with one public
// client (the console: authorization code, PKCE required), JWT access tokens for the API (audience RESOURCE) that
// carry the tenant and the roles the platform reads, and the development login form (any password; the login name is
// the user, and the role when it names one). Run as its own process (the library is ES modules only):
//   PORT=… REDIRECT_URI=… TENANT=… RESOURCE=… SIGNING_JWK='{…}' node e2e/support/identity-provider.mjs
import Provider from 'oidc-provider';

const env = process.env;
const issuer = `http://127.0.0.1:${env.PORT}`;
const resource = env.RESOURCE;
const ROLES = ['admin', 'reception', 'provider', 'billing'];

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'agdar-console',
      token_endpoint_auth_method: 'none',
      redirect_uris: [env.REDIRECT_URI],
      post_logout_redirect_uris: [env.REDIRECT_URI.replace('/auth/callback', '/sign-in')],
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [JSON.parse(env.SIGNING_JWK)] },
  cookies: { keys: ['identity-provider-test-cookie-key'] },
  pkce: { required: () => true },
  scopes: ['openid', 'profile'],
  claims: { openid: ['sub'], profile: ['name'] },
  findAccount: (_ctx, id) => ({
    accountId: id,
    claims: () => ({ sub: id, name: `${id[0].toUpperCase()}${id.slice(1)} (identity provider)` }),
  }),
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'api',
        audience: resource,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
  extraTokenClaims: (_ctx, token) =>
    token.kind === 'AccessToken'
      ? { tenant: env.TENANT, roles: ROLES.includes(token.accountId) ? [token.accountId] : ['reception'] }
      : undefined,
  // The console is the clinic's own first-party app: no consent screen, its scopes are granted on sign-in.
  loadExistingGrant: async (ctx) => {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid profile');
    grant.addResourceScope(resource, 'api');
    await grant.save();
    return grant;
  },
});

provider.listen(Number(env.PORT), '127.0.0.1', () => process.stdout.write(`identity provider ready at ${issuer}\n`));
