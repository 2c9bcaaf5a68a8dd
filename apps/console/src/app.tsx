// The console: language and direction, signed-in user, server state, and one URL per screen (each can be bookmarked
// and shared). Screens other than Today load when first opened, so the first paint carries only what it shows.
import { lazy, ReactNode, Suspense } from 'react';
import { Alert, ConfigProvider, Spin } from 'antd';
import arEG from 'antd/locale/ar_EG';
import enUS from 'antd/locale/en_US';
import { QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { createQueryClient } from './api/queries';
import { OperationId } from './api/endpoints';
import { AuthProvider, useAuth } from './auth/auth';
import { SignInPage } from './auth/sign-in-page';
import { LocaleProvider, useLocale } from './i18n/locale';
import { Shell } from './layout/shell';
import { TodayPage } from './features/today/today-page';
import { prefetchToday } from './features/today/today-data';

const SessionsPage = lazy(() => import('./features/sessions/sessions-page'));
const CalendarPage = lazy(() => import('./features/sessions/calendar-page'));
const SessionPage = lazy(() => import('./features/sessions/session-page'));
const CreateSessionPage = lazy(() => import('./features/sessions/create-session-page'));
const PatientsPage = lazy(() => import('./features/patients/patients-page'));
const PatientPage = lazy(() => import('./features/patients/patient-page'));
const InvoicesPage = lazy(() => import('./features/billing/invoices-page'));
const InvoicePage = lazy(() => import('./features/billing/invoice-page'));
const PricesPage = lazy(() => import('./features/billing/prices-page'));
const MessagesPage = lazy(() => import('./features/messages/messages-page'));
const AuthCallbackPage = lazy(() => import('./auth/callback-page'));
// Ant Design's App (messages, dialogs, notifications) is needed by the screens that change things, not by Today.
const Feedback = lazy(() => import('./ui/feedback'));

const queryClient = createQueryClient();
prefetchToday(queryClient, new URL(location.href));

export function App() {
  return (
    <LocaleProvider>
      <Localised>
        <QueryClientProvider client={queryClient}>
          <AuthProvider>
            <BrowserRouter>
              <Screens />
            </BrowserRouter>
          </AuthProvider>
        </QueryClientProvider>
      </Localised>
    </LocaleProvider>
  );
}

// Ant Design's default blue and its secondary and placeholder greys are below WCAG AA contrast (on white, and on the
// selected menu entry's tint); these meet it.
const THEME = {
  token: {
    colorPrimary: '#0958d9',
    colorError: '#cf1322',
    colorLink: '#0958d9',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.6)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.55)',
  },
};

function Localised({ children }: { children: ReactNode }) {
  const { language, direction } = useLocale();
  return (
    <ConfigProvider direction={direction} locale={language === 'ar' ? arEG : enUS} theme={THEME}>
      {children}
    </ConfigProvider>
  );
}

function Screens() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="/auth/callback" element={<AuthCallbackPage />} />
        <Route element={<SignedInOnly />}>
          <Route path="/" element={<TodayPage />} />
          <Route path="/sessions" element={<Allowed op="listSessions" page={<SessionsPage />} />} />
          <Route path="/calendar" element={<Allowed op="listSessions" page={<CalendarPage />} />} />
          <Route path="/sessions/new" element={<Allowed op="createSession" page={<CreateSessionPage />} />} />
          <Route path="/sessions/:id" element={<Allowed op="getSession" page={<SessionPage />} />} />
          <Route path="/patients" element={<Allowed op="searchPatients" page={<PatientsPage />} />} />
          <Route path="/patients/new" element={<Allowed op="registerPatient" page={<PatientPage />} />} />
          <Route path="/patients/:id" element={<Allowed op="getPatient" page={<PatientPage />} />} />
          <Route path="/billing/invoices" element={<Allowed op="listInvoices" page={<InvoicesPage />} />} />
          <Route path="/billing/invoices/:id" element={<Allowed op="getInvoice" page={<InvoicePage />} />} />
          <Route path="/billing/prices" element={<Allowed op="listPrices" page={<PricesPage />} />} />
          <Route path="/messages" element={<Allowed op="listDeliveries" page={<MessagesPage />} />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}

function SignedInOnly() {
  const { user } = useAuth();
  const location = useLocation();
  if (!user) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`} replace />;
  }
  return <Shell />;
}

function Allowed({ op, page }: { op: OperationId; page: ReactNode }) {
  const { can } = useAuth();
  const { t } = useLocale();
  if (!can(op)) return <Alert type="warning" showIcon title={t('common.notAllowed')} />;
  return (
    <Suspense fallback={<Loading />}>
      <Feedback>{page}</Feedback>
    </Suspense>
  );
}

function NotFound() {
  const { t } = useLocale();
  return <Alert type="info" showIcon title={t('common.notFound')} />;
}

export function Loading() {
  const { t } = useLocale();
  return (
    <div style={{ padding: 48, textAlign: 'center' }} role="status">
      <Spin />
      <div style={{ marginTop: 8 }}>{t('common.loading')}</div>
    </div>
  );
}
