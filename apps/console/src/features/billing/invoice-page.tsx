// One invoice: its lines, payments and credit notes, with record payment (billing), waive (admin) and the printable
// document. Amounts are decimal strings, as the API gives and takes them.
import { useState } from 'react';
import { App, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Table, Typography } from 'antd';
import { useParams } from 'react-router';
import { PAYMENT_METHODS } from '@agdar/contracts/browser';
import type { BodyOf, ResponseOf } from '../../api/endpoints';
import { useApi, useApiMutation } from '../../api/queries';
import { useAuth } from '../../auth/auth';
import { useLocale } from '../../i18n/locale';
import { formatInstant, formatMoney } from '../../i18n/format';
import { BilingualName, InvoiceStatusTag } from '../../ui/bits';
import { ProblemAlert, showFieldErrors } from '../../ui/problem';
import { openPrintable } from './documents';

type Invoice = ResponseOf<'getInvoice'>;
const REFRESHES = ['getInvoice', 'listInvoices'] as const;

export default function InvoicePage() {
  const { id } = useParams<{ id: string }>();
  const { t, language } = useLocale();
  const { can } = useAuth();
  const invoice = useApi('getInvoice', { params: { id: id! } });
  const [printError, setPrintError] = useState<unknown>(null);
  if (invoice.error) return <ProblemAlert error={invoice.error} />;
  if (!invoice.data) return <Card loading />;
  const i = invoice.data;
  const zone = i.lines[0]?.timezone ?? 'UTC';
  const money = (amount: string | null) => formatMoney(amount, i.currency, language);
  const open = i.status === 'ISSUED' || i.status === 'PARTIALLY_PAID';

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Space wrap align="center" style={{ justifyContent: 'space-between', width: '100%' }}>
          <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
            <bdi data-testid="invoice-number">{i.number ?? t('billing.draftNumber')}</bdi>{' '}
            <InvoiceStatusTag status={i.status} />
          </Typography.Title>
          {i.number && <Button onClick={() => openPrintable(i.id).catch(setPrintError)}>{t('billing.print')}</Button>}
        </Space>
        <ProblemAlert error={printError} />
        <Descriptions
          style={{ marginTop: 16 }}
          column={{ xs: 1, md: 2 }}
          items={[
            {
              key: 'billTo',
              label: t('billing.billTo'),
              children: i.billTo.name ? <BilingualName en={i.billTo.name} ar={i.billTo.nameAr} /> : null,
            },
            { key: 'appointment', label: t('billing.appointment'), children: <bdi>{i.appointmentNumber}</bdi> },
            { key: 'issued', label: t('billing.issuedAt'), children: formatInstant(i.issuedAt, zone, language) },
            { key: 'total', label: t('billing.total'), children: money(i.total) },
            { key: 'paid', label: t('billing.paid'), children: money(i.paid) },
            { key: 'credited', label: t('billing.credited'), children: money(i.credited) },
            {
              key: 'outstanding',
              label: t('billing.outstanding'),
              children: <span data-testid="outstanding">{money(i.outstanding)}</span>,
            },
          ]}
        />
      </Card>
      <Card title={t('billing.lines')}>
        <Table
          rowKey={(l) => l.appointmentNumber}
          pagination={false}
          dataSource={i.lines}
          scroll={{ x: true }}
          columns={[
            {
              title: t('billing.description'),
              key: 'description',
              render: (l: Invoice['lines'][number]) => <BilingualName en={l.description} ar={l.descriptionAr} />,
            },
            { title: t('billing.unitPrice'), key: 'unit', render: (l: Invoice['lines'][number]) => money(l.unitPrice) },
            {
              title: t('billing.vat'),
              key: 'vat',
              render: (l: Invoice['lines'][number]) => `${l.vatRate}% · ${money(l.vat)}`,
            },
            { title: t('billing.total'), key: 'total', render: (l: Invoice['lines'][number]) => money(l.total) },
          ]}
        />
      </Card>
      <Card title={t('billing.payments')}>
        <Table
          rowKey="id"
          pagination={false}
          dataSource={i.payments}
          scroll={{ x: true }}
          columns={[
            {
              title: t('billing.receivedAt'),
              key: 'at',
              render: (p: Invoice['payments'][number]) => formatInstant(p.receivedAt, zone, language),
            },
            { title: t('billing.amount'), key: 'amount', render: (p: Invoice['payments'][number]) => money(p.amount) },
            {
              title: t('billing.method'),
              key: 'method',
              render: (p: Invoice['payments'][number]) => t(`method.${p.method}`),
            },
            { title: t('billing.reference'), dataIndex: 'reference', key: 'reference' },
          ]}
        />
        {open && can('recordPayment') && <PaymentForm invoice={i} />}
        {open && can('waiveInvoice') && <WaiveButton invoice={i} />}
      </Card>
      {i.creditNotes.length > 0 && (
        <Card title={t('billing.creditNotes')}>
          <Table
            rowKey="id"
            pagination={false}
            dataSource={i.creditNotes}
            scroll={{ x: true }}
            columns={[
              {
                title: t('billing.number'),
                key: 'n',
                render: (c: Invoice['creditNotes'][number]) => <bdi>{c.number}</bdi>,
              },
              { title: t('billing.creditReason'), dataIndex: 'reason', key: 'reason' },
              {
                title: t('billing.total'),
                key: 'total',
                render: (c: Invoice['creditNotes'][number]) => money(c.total),
              },
              {
                title: t('billing.issuedAt'),
                key: 'at',
                render: (c: Invoice['creditNotes'][number]) => formatInstant(c.issuedAt, zone, language),
              },
            ]}
          />
        </Card>
      )}
    </Space>
  );
}

function PaymentForm({ invoice }: { invoice: Invoice }) {
  const { t, language } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<BodyOf<'recordPayment'>>();
  const pay = useApiMutation('recordPayment', [...REFRESHES]);
  return (
    <Form
      form={form}
      layout="inline"
      style={{ marginTop: 16, rowGap: 8 }}
      initialValues={{ amount: invoice.outstanding, method: 'CASH' }}
      onFinish={async (values) => {
        try {
          await pay.mutateAsync({
            params: { id: invoice.id },
            body: { ...values, reference: values.reference?.trim() || null },
          });
          message.success(t('billing.paymentRecorded'));
        } catch (error) {
          showFieldErrors(form, error, language);
        }
      }}
    >
      <Form.Item name="amount" label={t('billing.amount')} rules={[{ required: true }]}>
        <Input dir="ltr" inputMode="decimal" style={{ width: 120 }} data-testid="payment-amount" />
      </Form.Item>
      <Form.Item name="method" label={t('billing.method')} htmlFor="payment-method">
        <Select
          id="payment-method"
          style={{ width: 160 }}
          options={PAYMENT_METHODS.map((m) => ({ value: m, label: t(`method.${m}`) }))}
        />
      </Form.Item>
      <Form.Item name="reference" label={t('billing.reference')}>
        <Input style={{ width: 160 }} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={pay.isPending} data-testid="record-payment">
        {t('billing.recordPayment')}
      </Button>
      <div style={{ width: '100%', marginTop: 8 }}>
        <ProblemAlert error={pay.error} testId="payment-problem" />
      </div>
    </Form>
  );
}

function WaiveButton({ invoice }: { invoice: Invoice }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const waive = useApiMutation('waiveInvoice', [...REFRESHES]);
  return (
    <>
      <Button style={{ marginTop: 16 }} onClick={() => setOpen(true)}>
        {t('billing.waive')}
      </Button>
      <Modal
        open={open}
        title={t('billing.waiveTitle', { number: invoice.number ?? '' })}
        footer={null}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Form
          layout="vertical"
          onFinish={async (v: { reason: string }) => {
            await waive.mutateAsync({ params: { id: invoice.id }, body: { reason: v.reason.trim() } });
            message.success(t('billing.waived'));
            setOpen(false);
          }}
        >
          <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true, whitespace: true }]}>
            <Input.TextArea rows={3} maxLength={500} />
          </Form.Item>
          <ProblemAlert error={waive.error} />
          <Button type="primary" htmlType="submit" loading={waive.isPending}>
            {t('billing.waive')}
          </Button>
        </Form>
      </Modal>
    </>
  );
}
