// One session: its details and group notes, capacity, and what may be done to it (session-actions.tsx); the roster
// (roster.tsx); adding a patient; and the audit history. What is offered is the server's answer for this user, now.
import { useState } from 'react';
import { App, Button, Card, Descriptions, Form, Input, Space, Table, Tabs, Typography } from 'antd';
import { useParams, useSearchParams } from 'react-router';
import type { ResponseOf } from '../../api/endpoints';
import { useApi, useApiMutation } from '../../api/queries';
import { Directory, useDirectory, zoneOf } from '../../api/directory';
import { useAuth } from '../../auth/auth';
import { useLocale } from '../../i18n/locale';
import { clockPlus, formatClock, formatDate, formatInstant, nameIn } from '../../i18n/format';
import { BilingualName, CapacityBadge, Chip, SessionStatusTag } from '../../ui/bits';
import { ProblemAlert } from '../../ui/problem';
import { AddPatient } from './add-patient';
import { Roster } from './roster';
import { REFRESHES, Session, SessionActions } from './session-actions';

export default function SessionPage() {
  const { id } = useParams<{ id: string }>();
  const { t, language } = useLocale();
  const { can } = useAuth();
  const directory = useDirectory();
  const [params, setParams] = useSearchParams();
  // Finance and consent reach scheduling from billing and participant a moment after they change: poll while open.
  const session = useApi('getSession', { params: { id: id! } }, { refetchInterval: 4000 });
  if (session.error) return <ProblemAlert error={session.error} />;
  if (!session.data) return <Card loading />;
  const s = session.data;
  const zone = zoneOf(directory, s.clinicId);
  const type = directory.serviceType.get(s.serviceTypeId);
  const tab = params.get('tab') ?? 'roster';

  const tabs = [
    {
      key: 'roster',
      label: t('session.roster'),
      children: (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Roster session={s} zone={zone} />
          {can('addPatient') && <AddPatient session={s} />}
        </Space>
      ),
    },
    { key: 'details', label: t('session.details'), children: <Details session={s} directory={directory} /> },
    ...(can('sessionHistory')
      ? [{ key: 'history', label: t('session.history'), children: <History session={s} zone={zone} /> }]
      : []),
  ];

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space wrap align="center">
            <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
              {type ? <BilingualName en={type.name} ar={type.nameAr} /> : null}{' '}
              <Typography.Text type="secondary" style={{ fontSize: 16 }}>
                <bdi>{s.sessionNumber}</bdi>
              </Typography.Text>
            </Typography.Title>
            <SessionStatusTag status={s.status} />
            <Chip tone="grey">{t(`sessionType.${s.sessionType}`)}</Chip>
            <CapacityBadge current={s.currentCapacity} max={s.maxCapacity} />
          </Space>
          <Typography.Text data-testid="session-when">
            {formatDate(s.scheduledDate, language)} ·{' '}
            <bdi>
              {formatClock(s.scheduledTime, language)}–
              {formatClock(clockPlus(s.scheduledTime, s.durationMinutes), language)}
            </bdi>{' '}
            <Typography.Text type="secondary">({zone})</Typography.Text>
          </Typography.Text>
          <Typography.Text type="secondary">
            {nameIn(directory.provider.get(s.providerId), language)} · {nameIn(directory.room.get(s.roomId), language)}{' '}
            · {nameIn(directory.clinic.get(s.clinicId), language)}
          </Typography.Text>
          {s.cancellationReason && (
            <Typography.Text type="danger">
              {t('session.cancellationReason')}: {s.cancellationReason}
            </Typography.Text>
          )}
          <SessionActions session={s} />
        </Space>
      </Card>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'roster' ? {} : { tab: key }, { replace: true })}
        items={tabs}
      />
    </Space>
  );
}

function Details({ session, directory }: { session: Session; directory: Directory }) {
  const { t, language } = useLocale();
  const { can } = useAuth();
  const { message } = App.useApp();
  const update = useApiMutation('updateSession', [...REFRESHES]);
  const editable = can('updateSession') && session.status !== 'COMPLETED' && session.status !== 'CANCELLED';
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Descriptions
        bordered
        column={1}
        items={[
          { key: 'number', label: t('sessions.number'), children: <bdi>{session.sessionNumber}</bdi> },
          {
            key: 'clinic',
            label: t('common.clinic'),
            children: nameIn(directory.clinic.get(session.clinicId), language),
          },
          { key: 'room', label: t('common.room'), children: nameIn(directory.room.get(session.roomId), language) },
          {
            key: 'provider',
            label: t('common.provider'),
            children: nameIn(directory.provider.get(session.providerId), language),
          },
          {
            key: 'capacity',
            label: t('sessions.capacity'),
            children: `${session.currentCapacity}/${session.maxCapacity}`,
          },
        ]}
      />
      <Form
        layout="vertical"
        initialValues={{ groupNotes: session.groupNotes ?? '' }}
        onFinish={async (v: { groupNotes: string }) => {
          await update.mutateAsync({ params: { id: session.id }, body: { groupNotes: v.groupNotes.trim() || null } });
          message.success(t('session.saved'));
        }}
      >
        <Form.Item name="groupNotes" label={t('session.groupNotes')}>
          <Input.TextArea rows={5} maxLength={4000} disabled={!editable} />
        </Form.Item>
        <ProblemAlert error={update.error} />
        {editable && (
          <Button htmlType="submit" loading={update.isPending}>
            {t('session.saveNotes')}
          </Button>
        )}
      </Form>
    </Space>
  );
}

function History({ session, zone }: { session: Session; zone: string }) {
  const { t, language } = useLocale();
  const [page, setPage] = useState(1);
  const history = useApi('sessionHistory', { params: { id: session.id }, query: { page, pageSize: 50 } });
  type Entry = ResponseOf<'sessionHistory'>['items'][number];
  const show = (value: unknown) => (value === null || value === undefined ? t('common.none') : String(value));
  return (
    <>
      <ProblemAlert error={history.error} />
      <Table<Entry>
        rowKey="id"
        loading={history.isLoading}
        dataSource={history.data?.items ?? []}
        pagination={{ current: page, pageSize: 50, total: history.data?.total ?? 0, onChange: setPage }}
        columns={[
          { title: t('history.when'), key: 'when', render: (e: Entry) => formatInstant(e.occurredAt, zone, language) },
          { title: t('history.action'), dataIndex: 'action', key: 'action' },
          { title: t('history.actor'), dataIndex: 'actor', key: 'actor' },
          {
            title: t('history.changes'),
            key: 'changes',
            render: (e: Entry) => (
              <ul style={{ margin: 0, paddingInlineStart: 16 }}>
                {Object.entries(e.changes).map(([field, c]) => (
                  <li key={field}>
                    <bdi>{field}</bdi>: <bdi>{show(c.before)}</bdi> → <bdi>{show(c.after)}</bdi>
                  </li>
                ))}
              </ul>
            ),
          },
        ]}
        scroll={{ x: true }}
      />
    </>
  );
}
