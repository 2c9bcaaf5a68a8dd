// The frame of every signed-in screen: the menu (only what the user's roles open), the language switch, who is signed
// in and sign-out. In Arabic the whole frame mirrors: the menu stands on the right.
import { Button, Layout, Menu, Space, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { Link, Outlet, useLocation } from 'react-router';
import { useAuth } from '../auth/auth';
import { OperationId } from '../api/endpoints';
import { useLocale } from '../i18n/locale';
import type { MessageKey } from '../i18n/messages';
import { LanguageSwitch } from '../ui/language-switch';

interface Entry {
  path: string;
  label: MessageKey;
  op: OperationId;
}

const ENTRIES: Entry[] = [
  { path: '/', label: 'nav.today', op: 'listSessions' },
  { path: '/sessions', label: 'nav.sessions', op: 'listSessions' },
  { path: '/calendar', label: 'nav.calendar', op: 'listSessions' },
  { path: '/sessions/new', label: 'nav.newSession', op: 'createSession' },
  { path: '/patients', label: 'nav.patients', op: 'searchPatients' },
  { path: '/billing/invoices', label: 'nav.invoices', op: 'listInvoices' },
  { path: '/billing/prices', label: 'nav.prices', op: 'listPrices' },
  { path: '/messages', label: 'nav.messages', op: 'listDeliveries' },
];

/** The menu entry a path belongs to: the longest entry path it starts with. */
function selectedOf(pathname: string): string {
  const matching = ENTRIES.filter((e) => e.path === pathname || (e.path !== '/' && pathname.startsWith(`${e.path}/`)));
  const exact = matching.find((e) => e.path === pathname);
  return (exact ?? matching.sort((a, b) => b.path.length - a.path.length)[0])?.path ?? '';
}

export function Shell() {
  const { user, can, signOut } = useAuth();
  const { t, language } = useLocale();
  const location = useLocation();
  const items: MenuProps['items'] = ENTRIES.filter((e) => can(e.op)).map((e) => ({
    key: e.path,
    label: (
      <Link to={e.path} data-testid={`nav-${e.path}`}>
        {t(e.label)}
      </Link>
    ),
  }));
  const name = language === 'ar' ? (user?.nameAr ?? user?.name) : user?.name;
  const roles = user?.roles.map((r) => t(`role.${r}`)).join('، ');
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <a href="#content" className="skip-link">
        {t('app.skip')}
      </a>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} width={220} theme="light">
        <div style={{ padding: 16 }}>
          <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
            {t('app.name')}
          </Typography.Title>
        </div>
        <nav aria-label={t('nav.menu')}>
          <Menu mode="inline" selectedKeys={[selectedOf(location.pathname)]} items={items} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: 'transparent',
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            gap: 16,
            paddingInline: 24,
          }}
        >
          <LanguageSwitch />
          <Space size={4} direction="vertical" style={{ lineHeight: 1.2 }}>
            <Typography.Text strong data-testid="signed-in-as">
              {name ?? user?.sub}
            </Typography.Text>
            <Typography.Text type="secondary">{roles}</Typography.Text>
          </Space>
          <Button onClick={signOut} data-testid="sign-out">
            {t('nav.signOut')}
          </Button>
        </Layout.Header>
        <Layout.Content id="content" style={{ padding: 24 }} tabIndex={-1}>
          <main>
            <Outlet />
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
