// Invoices for the billing team: filters (status, appointment or session number, clinic-local dates), pages, and the
// CSV export of a date range.
import { useState } from 'react';
import { Button, Form, Input, Space, Table, Typography } from 'antd';
import { Link } from 'react-router';
import { INVOICE_STATUSES } from '@agdar/contracts/browser';
import type { QueryOf, ResponseOf } from '../../api/endpoints';
import { useApi } from '../../api/queries';
import { useLocale } from '../../i18n/locale';
import { formatMoney } from '../../i18n/format';
import { BilingualName, InvoiceStatusTag } from '../../ui/bits';
import { ProblemAlert } from '../../ui/problem';
import { useUrlFilters } from '../../ui/url-state';
import { FilterSelect } from '../../ui/filter-select';
import { downloadExport } from './documents';

type Invoice = ResponseOf<'listInvoices'>['items'][number];
const FILTERS = ['status', 'appointmentNumber', 'sessionNumber', 'from', 'to'] as const;

export default function InvoicesPage() {
  const { t, language } = useLocale();
  const { filter, page, update } = useUrlFilters(FILTERS);
  const invoices = useApi('listInvoices', { query: { ...filter, page, pageSize: 20 } as QueryOf<'listInvoices'> });
  const [exportError, setExportError] = useState<unknown>(null);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
          {t('billing.invoices')}
        </Typography.Title>
        <Button
          disabled={!filter.from || !filter.to}
          title={t('billing.exportRange')}
          onClick={() => {
            setExportError(null);
            downloadExport(filter.from!, filter.to!).catch(setExportError);
          }}
        >
          {t('billing.export')}
        </Button>
      </Space>
      <Form layout="inline" aria-label={t('common.filter')}>
        <FilterSelect
          id="invoice-status"
          label={t('common.status')}
          width={160}
          value={filter.status}
          onChange={(v) => update({ status: v })}
          options={INVOICE_STATUSES.map((s) => ({ value: s, label: t(`invoiceStatus.${s}`) }))}
        />
        <Form.Item label={t('billing.appointment')} htmlFor="invoice-appointment">
          <Input
            id="invoice-appointment"
            defaultValue={filter.appointmentNumber}
            onBlur={(e) => update({ appointmentNumber: e.target.value.trim() || undefined })}
            onPressEnter={(e) => update({ appointmentNumber: e.currentTarget.value.trim() || undefined })}
            data-testid="filter-appointment"
          />
        </Form.Item>
        <Form.Item label={t('sessions.number')} htmlFor="invoice-session">
          <Input
            id="invoice-session"
            defaultValue={filter.sessionNumber}
            onPressEnter={(e) => update({ sessionNumber: e.currentTarget.value.trim() || undefined })}
          />
        </Form.Item>
        <Form.Item label={t('common.from')} htmlFor="invoice-from">
          <Input id="invoice-from" type="date" value={filter.from} onChange={(e) => update({ from: e.target.value })} />
        </Form.Item>
        <Form.Item label={t('common.to')} htmlFor="invoice-to">
          <Input id="invoice-to" type="date" value={filter.to} onChange={(e) => update({ to: e.target.value })} />
        </Form.Item>
      </Form>
      <ProblemAlert error={invoices.error ?? exportError} />
      <Table<Invoice>
        rowKey="id"
        loading={invoices.isLoading}
        dataSource={invoices.data?.items ?? []}
        pagination={{
          current: page,
          pageSize: 20,
          total: invoices.data?.total ?? 0,
          onChange: (p) => update({ page: String(p) }),
        }}
        columns={[
          {
            title: t('billing.number'),
            key: 'number',
            render: (i: Invoice) => (
              <Link to={`/billing/invoices/${i.id}`} data-testid="invoice-link">
                <bdi>{i.number ?? t('billing.draftNumber')}</bdi>
              </Link>
            ),
          },
          {
            title: t('billing.appointment'),
            key: 'appointment',
            render: (i: Invoice) => <bdi>{i.appointmentNumber}</bdi>,
          },
          {
            title: t('billing.billTo'),
            key: 'billTo',
            render: (i: Invoice) => (i.billTo.name ? <BilingualName en={i.billTo.name} ar={i.billTo.nameAr} /> : null),
          },
          { title: t('common.status'), key: 'status', render: (i: Invoice) => <InvoiceStatusTag status={i.status} /> },
          {
            title: t('billing.total'),
            key: 'total',
            render: (i: Invoice) => formatMoney(i.total, i.currency, language),
          },
          {
            title: t('billing.outstanding'),
            key: 'outstanding',
            render: (i: Invoice) => formatMoney(i.outstanding, i.currency, language),
          },
        ]}
        scroll={{ x: true }}
      />
    </Space>
  );
}
