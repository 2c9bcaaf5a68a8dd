// Sessions: the API's filters (type, status, clinic, provider, clinic-local dates) and pages, all in the URL.
import { Button, DatePicker, Form, Space, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { Link } from 'react-router';
import { SESSION_STATUSES, SESSION_TYPES } from '@agdar/contracts/browser';
import { useApi } from '../../api/queries';
import { useDirectory } from '../../api/directory';
import type { QueryOf, ResponseOf } from '../../api/endpoints';
import { useAuth } from '../../auth/auth';
import { useLocale } from '../../i18n/locale';
import { formatClock, formatDate, nameIn } from '../../i18n/format';
import { BilingualName, CapacityBadge, SessionStatusTag } from '../../ui/bits';
import { ProblemAlert } from '../../ui/problem';
import { useUrlFilters } from '../../ui/url-state';
import { FilterSelect } from '../../ui/filter-select';

type Session = ResponseOf<'listSessions'>['items'][number];
const FILTERS = ['sessionType', 'status', 'clinicId', 'providerId', 'from', 'to'] as const;

export default function SessionsPage() {
  const { t, language } = useLocale();
  const { can } = useAuth();
  const directory = useDirectory();
  const { filter, page, pageSize, update } = useUrlFilters(FILTERS);
  const sessions = useApi('listSessions', {
    query: { ...filter, page, pageSize } as QueryOf<'listSessions'>,
  });

  const columns = [
    {
      title: t('sessions.when'),
      key: 'when',
      render: (s: Session) => (
        <Link to={`/sessions/${s.id}`}>
          {formatDate(s.scheduledDate, language)} · <bdi>{formatClock(s.scheduledTime, language)}</bdi>
        </Link>
      ),
    },
    { title: t('sessions.number'), dataIndex: 'sessionNumber', key: 'number', render: (n: string) => <bdi>{n}</bdi> },
    {
      title: t('common.serviceType'),
      key: 'type',
      render: (s: Session) => {
        const type = directory.serviceType.get(s.serviceTypeId);
        return type ? <BilingualName en={type.name} ar={type.nameAr} /> : null;
      },
    },
    { title: t('sessions.type'), key: 'sessionType', render: (s: Session) => t(`sessionType.${s.sessionType}`) },
    {
      title: t('common.provider'),
      key: 'provider',
      render: (s: Session) => nameIn(directory.provider.get(s.providerId), language),
    },
    { title: t('common.room'), key: 'room', render: (s: Session) => nameIn(directory.room.get(s.roomId), language) },
    {
      title: t('sessions.capacity'),
      key: 'capacity',
      render: (s: Session) => <CapacityBadge current={s.currentCapacity} max={s.maxCapacity} />,
    },
    { title: t('common.status'), key: 'status', render: (s: Session) => <SessionStatusTag status={s.status} /> },
  ];

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
          {t('sessions.title')}
        </Typography.Title>
        <Space>
          <Link to="/calendar">{t('sessions.calendar')}</Link>
          {can('createSession') && (
            <Link to="/sessions/new">
              <Button type="primary">{t('nav.newSession')}</Button>
            </Link>
          )}
        </Space>
      </Space>
      <Form layout="inline" aria-label={t('common.filter')}>
        <FilterSelect
          id="filter-type"
          label={t('sessions.type')}
          width={140}
          value={filter.sessionType}
          onChange={(v) => update({ sessionType: v })}
          options={SESSION_TYPES.map((v) => ({ value: v, label: t(`sessionType.${v}`) }))}
        />
        <FilterSelect
          id="filter-status"
          label={t('common.status')}
          width={150}
          value={filter.status}
          onChange={(v) => update({ status: v })}
          options={SESSION_STATUSES.map((v) => ({ value: v, label: t(`sessionStatus.${v}`) }))}
        />
        <FilterSelect
          id="filter-clinic"
          label={t('common.clinic')}
          width={160}
          value={filter.clinicId}
          onChange={(v) => update({ clinicId: v })}
          options={directory.clinics.map((c) => ({ value: c.id, label: nameIn(c, language) }))}
        />
        <FilterSelect
          id="filter-provider"
          label={t('common.provider')}
          width={180}
          value={filter.providerId}
          onChange={(v) => update({ providerId: v })}
          options={directory.providers.map((p) => ({ value: p.id, label: nameIn(p, language) }))}
        />
        <Form.Item label={t('common.from')} htmlFor="filter-from">
          <DatePicker
            id="filter-from"
            value={filter.from ? dayjs(filter.from) : null}
            onChange={(d) => update({ from: d?.format('YYYY-MM-DD') })}
          />
        </Form.Item>
        <Form.Item label={t('common.to')} htmlFor="filter-to">
          <DatePicker
            id="filter-to"
            value={filter.to ? dayjs(filter.to) : null}
            onChange={(d) => update({ to: d?.format('YYYY-MM-DD') })}
          />
        </Form.Item>
      </Form>
      <ProblemAlert error={sessions.error} />
      <Table<Session>
        rowKey="id"
        loading={sessions.isLoading}
        dataSource={sessions.data?.items ?? []}
        columns={columns}
        pagination={{
          current: page,
          pageSize,
          total: sessions.data?.total ?? 0,
          showSizeChanger: true,
          onChange: (p, size) => update({ page: String(p), pageSize: String(size) }),
        }}
        scroll={{ x: true }}
      />
    </Space>
  );
}
