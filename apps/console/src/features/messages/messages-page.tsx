// The delivery log: every confirmation, reminder and change message per participant and channel, with its status and,
// when it was not sent, why. Filter by appointment number, patient, session, status, channel or kind.
import { Form, Input, Space, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { CHANNELS, DELIVERY_STATUSES, MESSAGE_KINDS } from '@agdar/contracts/browser';
import type { QueryOf, ResponseOf } from '../../api/endpoints';
import { useApi } from '../../api/queries';
import { useLocale } from '../../i18n/locale';
import { formatInstant } from '../../i18n/format';
import { ProblemAlert } from '../../ui/problem';
import { useUrlFilters } from '../../ui/url-state';
import { FilterSelect } from '../../ui/filter-select';
import { Chip, Tone } from '../../ui/bits';

type Delivery = ResponseOf<'listDeliveries'>['items'][number];
const FILTERS = ['appointmentNumber', 'patientId', 'sessionId', 'status', 'channel', 'kind'] as const;
const STATUS_TONE: Record<Delivery['status'], Tone> = {
  SENT: 'green',
  FAILED: 'red',
  QUEUED: 'gold',
  SENDING: 'gold',
  SKIPPED: 'grey',
  UNCERTAIN: 'red',
  EXPIRED: 'grey',
};

export default function MessagesPage() {
  const { t, language } = useLocale();
  const { filter, page, update } = useUrlFilters(FILTERS);
  const deliveries = useApi(
    'listDeliveries',
    { query: { ...filter, page, pageSize: 20 } as QueryOf<'listDeliveries'> },
    { refetchInterval: 10000 },
  );
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

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
        <FilterSelect
          id="messages-status"
          label={t('common.status')}
          width={140}
          value={filter.status}
          onChange={(v) => update({ status: v })}
          options={DELIVERY_STATUSES.map((s) => ({ value: s, label: t(`delivery.${s}`) }))}
        />
        <FilterSelect
          id="messages-channel"
          label={t('messages.channel')}
          width={140}
          value={filter.channel}
          onChange={(v) => update({ channel: v })}
          options={CHANNELS.map((c) => ({ value: c, label: t(`channel.${c}`) }))}
        />
        <FilterSelect
          id="messages-kind"
          label={t('messages.kind')}
          width={200}
          value={filter.kind}
          onChange={(v) => update({ kind: v })}
          options={MESSAGE_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
        />
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
