// Today: the day's sessions of one clinic, in its time zone, with their capacity, the next one to start marked. The
// first screen after sign-in, so it is built from light pieces only (the heavier ones load with the other screens).
import { Empty, Radio, Space, Spin, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { clinicToday } from '@agdar/contracts/browser';
import { useApi } from '../../api/queries';
import { useDirectory } from '../../api/directory';
import { useLocale } from '../../i18n/locale';
import { clockPlus, formatClock, formatDate, nameIn } from '../../i18n/format';
import { BilingualName, CapacityBadge, Chip, SessionStatusTag } from '../../ui/bits';
import { ProblemAlert } from '../../ui/problem';
import { nextToStart } from '../sessions/session-rules';
import { todaySessionsInput } from './today-data';

export function TodayPage() {
  const { t, language } = useLocale();
  const directory = useDirectory();
  const [params, setParams] = useSearchParams();
  const clinicId = params.get('clinic') ?? directory.clinics[0]?.id;
  const clinic = clinicId ? directory.clinic.get(clinicId) : undefined;
  const today = clinic ? clinicToday(clinic.timezone) : undefined;
  const sessions = useApi('listSessions', todaySessionsInput(clinicId, today), {
    enabled: !!clinic,
    refetchInterval: 30000,
  });
  const items = [...(sessions.data?.items ?? [])].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const next = nextToStart(items, new Date());
  const loading = directory.loading || (!!clinic && sessions.isLoading);

  if (!directory.loading && !directory.error && !directory.clinics.length) {
    return <Empty description={t('today.noClinic')} />;
  }
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Space wrap align="center" style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }} data-testid="today-title">
          {clinic ? t('today.title', { clinic: nameIn(clinic, language) }) : t('nav.today')}
          {today && (
            <Typography.Text type="secondary" style={{ fontSize: 16, marginInlineStart: 12 }}>
              {formatDate(today, language)}
            </Typography.Text>
          )}
        </Typography.Title>
        {directory.clinics.length > 1 && (
          <Radio.Group
            aria-label={t('common.clinic')}
            optionType="button"
            value={clinicId}
            options={directory.clinics.map((c) => ({ value: c.id, label: nameIn(c, language) }))}
            onChange={(e) => setParams({ clinic: e.target.value })}
          />
        )}
      </Space>
      <ProblemAlert error={directory.error ?? sessions.error} />
      <section className="panel" style={{ padding: 0 }} aria-busy={loading} data-testid="today-sessions">
        {loading ? (
          <div style={{ padding: 24, textAlign: 'center' }}>
            <Spin />
          </div>
        ) : items.length === 0 ? (
          <Empty style={{ padding: 24 }} description={t('today.none')} />
        ) : (
          <ul className="today-list">
            {items.map((session) => {
              const type = directory.serviceType.get(session.serviceTypeId);
              const isNext = next?.id === session.id;
              return (
                <li
                  key={session.id}
                  className={isNext ? 'next-session' : undefined}
                  data-testid="today-session"
                  data-session-number={session.sessionNumber}
                >
                  <Space direction="vertical" size={2}>
                    <Space wrap>
                      <Link to={`/sessions/${session.id}`}>
                        <bdi>
                          {formatClock(session.scheduledTime, language)}–
                          {formatClock(clockPlus(session.scheduledTime, session.durationMinutes), language)}
                        </bdi>{' '}
                        · {type ? <BilingualName en={type.name} ar={type.nameAr} /> : session.sessionNumber}
                      </Link>
                      <SessionStatusTag status={session.status} />
                      {isNext && <Chip tone="blue">{t('today.next')}</Chip>}
                    </Space>
                    <Typography.Text type="secondary">
                      <bdi>{session.sessionNumber}</bdi> · {t(`sessionType.${session.sessionType}`)} ·{' '}
                      {nameIn(directory.provider.get(session.providerId), language)} ·{' '}
                      {nameIn(directory.room.get(session.roomId), language)}
                    </Typography.Text>
                  </Space>
                  <CapacityBadge current={session.currentCapacity} max={session.maxCapacity} />
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </Space>
  );
}
