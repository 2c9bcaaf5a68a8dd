// Sign-in through the identity provider: OpenID Connect authorization code with PKCE (oidc-client-ts does the flow,
// the code verifier and the token exchange). Loaded only when the platform is configured for it.
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { ConsoleSettings } from './settings';

type OidcSettings = Extract<ConsoleSettings, { signIn: 'oidc' }>;

function managerOf(settings: OidcSettings): UserManager {
  return new UserManager({
    authority: settings.authority,
    client_id: settings.clientId,
    redirect_uri: `${location.origin}/auth/callback`,
    post_logout_redirect_uri: `${location.origin}/sign-in`,
    response_type: 'code',
    scope: settings.scope,
    userStore: new WebStorageStateStore({ store: sessionStorage }),
  });
}

export async function startSignIn(settings: OidcSettings, next: string): Promise<void> {
  await managerOf(settings).signinRedirect({ state: next });
}

/** On /auth/callback: exchanges the code for tokens; the access token is what the gateway verifies. */
export async function completeSignIn(
  settings: OidcSettings,
): Promise<{ token: string; name: string | null; next: string }> {
  const user = await managerOf(settings).signinRedirectCallback();
  const next = typeof user.state === 'string' && user.state.startsWith('/') ? user.state : '/';
  return { token: user.access_token, name: user.profile.name ?? null, next };
}
