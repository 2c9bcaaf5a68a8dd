// The delivery log: every confirmation, reminder and change message per participant and channel, with its status and,
// when it was not sent, why. Filter by appointment number, patient, session, status, channel or kind.
import { Form, Input, Select, Space, Table, Typography } from 'antd';
import { Link, useSearchParams } from 'react-router';
import { CHANNELS, DELIVERY_STATUSES, MESSAGE_KINDS } from '@agdar/contracts/browser';
import type { QueryOf, ResponseOf } from '../../api/endpoints';
import { useApi } from '../../api/queries';
import { useLocale } from '../../i18n/locale';
import { formatInstant } from '../../i18n/format';
import { ProblemAlert } from '../../ui/problem';
import { Chip, Tone } from '../../ui/bits';

type Delivery = ResponseOf<'listDeliveries'>['items'][number];
const FILTERS = ['appointmentNumber', 'patientId', 'sessionId', 'status', 'channel', 'kind'] as const;
const STATUS_TONE: Record<Delivery['status'], Tone> = {
  SENT: 'green',
  FAILED: 'red',
  QUEUED: 'gold',
  SENDING: 'gold',
  SKIPPED: 'grey',
};

export default function MessagesPage() {
  const { t, language } = useLocale();
  const [params, setParams] = useSearchParams();
  const filter = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? undefined]));
  const page = Number(params.get('page') ?? 1);
  const deliveries = useApi(
    'listDeliveries',
    { query: { ...filter, page, pageSize: 20 } as QueryOf<'listDeliveries'> },
    { refetchInterval: 10000 },
  );
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  function update(changes: Record<string, string | undefined>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  }

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t('messages.title')}
      </Typography.Title>
      <Form layout="inline" aria-label={t('common.filter')}>
        <Form.Item label={t('messages.appointment')} htmlFor="messages-appointment">
          <Input
            id="messages-appointment"
            defaultValue={filter.appointmentNumber}
            onPressEnter={(e) => update({ appointmentNumber: e.currentTarget.value.trim() || undefined })}
          />
        </Form.Item>
        <Form.Item label={t('common.status')} htmlFor="messages-status">
          <Select
            id="messages-status"
            allowClear
            style={{ width: 140 }}
            value={filter.status}
            onChange={(v) => update({ status: v })}
            options={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`delivery.${s}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('messages.channel')} htmlFor="messages-channel">
          <Select
            id="messages-channel"
            allowClear
            style={{ width: 140 }}
            value={filter.channel}
            onChange={(v) => update({ channel: v })}
            options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('messages.kind')} htmlFor="messages-kind">
          <Select
            id="messages-kind"
            allowClear
            style={{ width: 200 }}
            value={filter.kind}
            onChange={(v) => update({ kind: v })}
            options={MESSAGE_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
          />
        </Form.Item>
      </Form>
      <ProblemAlert error={deliveries.error} />
      <Table<Delivery>
        rowKey="id"
        loading={deliveries.isLoading}
        dataSource={deliveries.data?.items ?? []}
        pagination={{
          current: page,
          pageSize: 20,
          total: deliveries.data?.total ?? 0,
          onChange: (p) => update({ page: String(p) }),
        }}
        columns={[
          { title: t('messages.kind'), key: 'kind', render: (d: Delivery) => t(`kind.${d.kind}`) },
          {
            title: t('messages.appointment'),
            key: 'appointment',
            render: (d: Delivery) =>
              d.sessionId ? (
                <Link to={`/sessions/${d.sessionId}`}>
                  <bdi>{d.appointmentNumber}</bdi>
                </Link>
              ) : (
                <bdi>{d.appointmentNumber}</bdi>
              ),
          },
          {
            title: t('messages.channel'),
            key: 'channel',
            render: (d: Delivery) => (d.channel ? t(`channel.${d.channel}`) : ''),
          },
          {
            title: t('messages.recipient'),
            key: 'recipient',
            render: (d: Delivery) => <bdi dir="ltr">{d.recipient}</bdi>,
          },
          {
            title: t('common.status'),
            key: 'status',
            render: (d: Delivery) => (
              <Chip tone={STATUS_TONE[d.status]} data-testid="delivery-status" data-status={d.status}>
                {t(`delivery.${d.status}`)}
              </Chip>
            ),
          },
          {
            title: t('messages.sentAt'),
            key: 'sentAt',
            render: (d: Delivery) => formatInstant(d.sentAt, zone, language),
          },
          { title: t('messages.reason'), key: 'reason', render: (d: Delivery) => d.reason ?? d.providerAnswer },
          { title: t('messages.attempts'), dataIndex: 'attempts', key: 'attempts' },
        ]}
        scroll={{ x: true }}
      />
    </Space>
  );
}
