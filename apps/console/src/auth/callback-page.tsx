// Where the identity provider sends the browser back with the authorization code.
import { useEffect, useState } from 'react';
import { Navigate } from 'react-router';
import { Typography } from 'antd';
import { useAuth } from './auth';
import { consoleSettings } from './settings';
import { sessionFrom } from './session';
import { useLocale } from '../i18n/locale';
import { ProblemAlert } from '../ui/problem';

// The code can be exchanged once: a second run of the effect (React's strict mode) waits for the first.
let exchange: Promise<{ token: string; name: string | null; next: string }> | null = null;

async function exchangeCode() {
  const settings = await consoleSettings();
  if (settings.signIn !== 'oidc') throw new Error('This platform does not sign in through an identity provider.');
  const { completeSignIn } = await import('./oidc');
  return completeSignIn(settings);
}

export default function AuthCallbackPage() {
  const { signIn } = useAuth();
  const { t } = useLocale();
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    (async () => {
      const result = await (exchange ??= exchangeCode());
      const session = sessionFrom(result.token, { name: result.name });
      if (!session) throw new Error('The access token names no user, tenant or roles this platform reads.');
      signIn(session);
      setNext(result.next);
    })().catch(setError);
  }, [signIn]);
  if (next) return <Navigate to={next} replace />;
  return (
    <main style={{ padding: 48 }}>
      {error ? <ProblemAlert error={error} /> : <Typography.Text>{t('signIn.completing')}</Typography.Text>}
    </main>
  );
}
