// Prices per service type and the fee policy (late cancellation window and fee, no-show fee, VAT treatment).
import { useEffect } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Space, Switch, Table, Typography } from 'antd';
import type { BodyOf } from '../../api/endpoints';
import { useApi, useApiMutation } from '../../api/queries';
import { useAuth } from '../../auth/auth';
import { useLocale } from '../../i18n/locale';
import { formatMoney } from '../../i18n/format';
import { BilingualName } from '../../ui/bits';
import { ProblemAlert, showFieldErrors } from '../../ui/problem';

export default function PricesPage() {
  const { t } = useLocale();
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {t('nav.prices')}
      </Typography.Title>
      <Prices />
      <Policy />
    </Space>
  );
}

function Prices() {
  const { t, language } = useLocale();
  const { can } = useAuth();
  const { message } = App.useApp();
  const types = useApi('listServiceTypes', { query: { pageSize: 100 } });
  const prices = useApi('listPrices', { query: { pageSize: 100 } });
  const setPrice = useApiMutation('setPrice', ['listPrices']);
  const priceOf = new Map((prices.data?.items ?? []).map((p) => [p.serviceTypeId, p]));
  type Row = { id: string; name: string; nameAr: string | null; code: string };
  return (
    <Card
      title={
        <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
          {t('billing.prices')}
        </Typography.Title>
      }
    >
      <ProblemAlert error={types.error ?? prices.error ?? setPrice.error} />
      <Table<Row>
        rowKey="id"
        loading={types.isLoading || prices.isLoading}
        pagination={false}
        dataSource={types.data?.items ?? []}
        columns={[
          {
            title: t('common.serviceType'),
            key: 'name',
            render: (s: Row) => <BilingualName en={s.name} ar={s.nameAr} />,
          },
          { title: t('billing.code'), key: 'code', render: (s: Row) => <bdi>{s.code}</bdi> },
          {
            title: t('billing.price'),
            key: 'price',
            render: (s: Row) => {
              const price = priceOf.get(s.id);
              if (!can('setPrice'))
                return price ? formatMoney(price.amount, price.currency, language) : t('common.none');
              return (
                <Form
                  layout="inline"
                  initialValues={{ amount: price?.amount ?? '' }}
                  onFinish={async (v: { amount: string }) => {
                    await setPrice.mutateAsync({
                      params: { serviceTypeId: s.id },
                      body: { amount: v.amount.trim(), currency: price?.currency ?? 'SAR' },
                    });
                    message.success(t('billing.priceSaved'));
                  }}
                >
                  <Form.Item name="amount" rules={[{ required: true }]}>
                    <Input
                      aria-label={`${t('billing.price')} ${s.name}`}
                      dir="ltr"
                      inputMode="decimal"
                      style={{ width: 120 }}
                    />
                  </Form.Item>
                  <Typography.Text type="secondary" style={{ marginInlineEnd: 8 }}>
                    {price?.currency ?? 'SAR'}
                  </Typography.Text>
                  <Button htmlType="submit">{t('billing.setPrice')}</Button>
                </Form>
              );
            },
          },
        ]}
      />
    </Card>
  );
}

function Policy() {
  const { t, language } = useLocale();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<BodyOf<'setBillingPolicy'>>();
  const policy = useApi('getBillingPolicy');
  const save = useApiMutation('setBillingPolicy', ['getBillingPolicy']);
  useEffect(() => {
    if (policy.data) form.setFieldsValue(policy.data);
  }, [policy.data, form]);
  const editable = can('setBillingPolicy');
  return (
    <Card
      title={
        <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
          {t('billing.policy')}
        </Typography.Title>
      }
    >
      <ProblemAlert error={policy.error ?? save.error} />
      <Form
        form={form}
        layout="vertical"
        disabled={!editable}
        style={{ maxWidth: 480 }}
        onFinish={async (values) => {
          try {
            await save.mutateAsync({ body: values });
            message.success(t('billing.policySaved'));
          } catch (error) {
            showFieldErrors(form, error, language);
          }
        }}
      >
        <Form.Item name="lateCancellationWindowHours" label={t('billing.lateWindow')} rules={[{ required: true }]}>
          <InputNumber min={0} max={720} />
        </Form.Item>
        <Form.Item name="lateCancellationFeePercent" label={t('billing.lateFee')} rules={[{ required: true }]}>
          <InputNumber min={0} max={100} />
        </Form.Item>
        <Form.Item name="noShowFeePercent" label={t('billing.noShowFee')} rules={[{ required: true }]}>
          <InputNumber min={0} max={100} />
        </Form.Item>
        <Form.Item name="citizenHealthcareExemption" label={t('billing.exemption')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {editable && (
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        )}
      </Form>
    </Card>
  );
}
