// Sign-in. In development the gateway lists the seeded tenant's demo users and signs one in with a click; in
// production the button goes to the identity provider (authorization code with PKCE).
import { useEffect, useState } from 'react';
import { Alert, Button, Flex, Space, Typography } from 'antd';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from './auth';
import { consoleSettings, ConsoleSettings, DemoUser } from './settings';
import { sessionFrom } from './session';
import { useLocale } from '../i18n/locale';
import { ApiProblem } from '../api/client';
import { ProblemAlert } from '../ui/problem';
import { LanguageSwitch } from '../ui/language-switch';

export function SignInPage() {
  const { user, signIn } = useAuth();
  const { t, language } = useLocale();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next')?.startsWith('/') ? params.get('next')! : '/';
  const [settings, setSettings] = useState<ConsoleSettings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    consoleSettings().then(setSettings, setError);
  }, []);
  if (user) return <Navigate to={next} replace />;

  async function signInAs(demo: DemoUser) {
    setBusy(demo.id);
    setError(null);
    try {
      const response = await fetch('/api/dev/token', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: demo.id }),
      });
      const body = await response.json();
      if (!response.ok) throw new ApiProblem(response.status, body.code, body.detail, body.errors);
      const session = sessionFrom(body.token, { name: demo.name, nameAr: demo.nameAr });
      if (!session) throw new Error('The token the gateway gave cannot be read.');
      signIn(session);
      navigate(next, { replace: true });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }

  async function signInWithProvider() {
    if (settings?.signIn !== 'oidc') return;
    const { startSignIn } = await import('./oidc');
    await startSignIn(settings, next).catch(setError);
  }

  return (
    <main>
      <Flex justify="center" style={{ padding: '48px 16px' }}>
        <section className="panel" style={{ width: 480 }}>
          <Flex justify="space-between" align="center">
            <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
              {t('signIn.title')}
            </Typography.Title>
            <LanguageSwitch />
          </Flex>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            {t('app.name')}
          </Typography.Paragraph>
          <ProblemAlert error={error} />
          {!settings && !error && <Typography.Text>{t('common.loading')}</Typography.Text>}
          {settings?.signIn === 'development' && (
            <Space direction="vertical" style={{ width: '100%', marginTop: 12 }}>
              <Typography.Text>{t('signIn.development', { tenant: settings.tenant })}</Typography.Text>
              {settings.users.map((demo) => (
                <Button
                  key={demo.id}
                  block
                  size="large"
                  loading={busy === demo.id}
                  onClick={() => signInAs(demo)}
                  data-testid={`sign-in-${demo.roles[0]}`}
                >
                  {t('signIn.as', { name: language === 'ar' ? demo.nameAr : demo.name })} ·{' '}
                  {demo.roles.map((r) => t(`role.${r}`)).join('، ')}
                </Button>
              ))}
            </Space>
          )}
          {settings?.signIn === 'oidc' && (
            <Button type="primary" block size="large" onClick={signInWithProvider} style={{ marginTop: 12 }}>
              {t('signIn.oidc')}
            </Button>
          )}
          {settings?.signIn === 'none' && <Alert type="warning" showIcon title={t('signIn.none')} />}
        </section>
      </Flex>
    </main>
  );
}
