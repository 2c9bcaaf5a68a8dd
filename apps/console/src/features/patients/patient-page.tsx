// Register a patient, or edit one and record their consents. Field problems from the API appear on the fields.
import { useEffect, useState } from 'react';
import { App, Button, Card, Checkbox, Col, Form, Input, Radio, Row, Select, Space, Typography } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import type { BodyOf } from '../../api/endpoints';
import { useApi, useApiMutation } from '../../api/queries';
import { useAuth } from '../../auth/auth';
import { useLocale } from '../../i18n/locale';
import { ProblemAlert, showFieldErrors } from '../../ui/problem';

type Values = {
  firstNameEn: string;
  lastNameEn: string;
  firstNameAr?: string;
  lastNameAr?: string;
  dateOfBirth: string;
  email?: string;
  phone?: string;
  preferredLanguage: 'en' | 'ar';
  channels: ('email' | 'sms')[];
  guardianName?: string;
  guardianRelationship?: string;
};

const orNull = (v: string | undefined) => (v && v.trim() ? v.trim() : null);

function bodyOf(v: Values): BodyOf<'registerPatient'> {
  return {
    firstNameEn: v.firstNameEn.trim(),
    lastNameEn: v.lastNameEn.trim(),
    firstNameAr: orNull(v.firstNameAr),
    lastNameAr: orNull(v.lastNameAr),
    dateOfBirth: v.dateOfBirth,
    email: orNull(v.email),
    phone: orNull(v.phone),
    preferredLanguage: v.preferredLanguage,
    channels: v.channels,
    guardian: orNull(v.guardianName)
      ? { name: v.guardianName!.trim(), relationship: v.guardianRelationship?.trim() || 'parent' }
      : null,
  };
}

export default function PatientPage() {
  const { id } = useParams<{ id: string }>();
  const { t, language } = useLocale();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const patient = useApi('getPatient', { params: { id: id! } }, { enabled: !!id });
  const register = useApiMutation('registerPatient', ['searchPatients']);
  const update = useApiMutation('updatePatient', ['searchPatients', 'getPatient']);
  const [problem, setProblem] = useState<unknown>(null);

  useEffect(() => {
    const p = patient.data;
    if (!p) return;
    form.setFieldsValue({
      ...p,
      firstNameAr: p.firstNameAr ?? undefined,
      lastNameAr: p.lastNameAr ?? undefined,
      email: p.email ?? undefined,
      phone: p.phone ?? undefined,
      guardianName: p.guardian?.name,
      guardianRelationship: p.guardian?.relationship,
    });
  }, [patient.data, form]);

  async function submit(values: Values) {
    setProblem(null);
    try {
      if (id) {
        await update.mutateAsync({ params: { id }, body: bodyOf(values) });
      } else {
        const created = await register.mutateAsync({ body: bodyOf(values) });
        navigate(`/patients/${created.id}`, { replace: true });
      }
      message.success(t('patients.saved'));
    } catch (error) {
      showFieldErrors(form, error, language);
      setProblem(error);
    }
  }

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card>
        <Typography.Title level={1} style={{ fontSize: 24, marginTop: 0 }}>
          {id ? t('patients.edit') : t('patients.register')}
        </Typography.Title>
        <ProblemAlert error={patient.error} />
        <Form<Values>
          form={form}
          layout="vertical"
          style={{ maxWidth: 720 }}
          initialValues={{ preferredLanguage: 'ar', channels: ['sms'] }}
          onFinish={submit}
        >
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <Form.Item name="firstNameEn" label={t('patients.firstNameEn')} rules={[{ required: true, max: 100 }]}>
                <Input lang="en" dir="ltr" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="lastNameEn" label={t('patients.lastNameEn')} rules={[{ required: true, max: 100 }]}>
                <Input lang="en" dir="ltr" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="firstNameAr" label={t('patients.firstNameAr')} rules={[{ max: 100 }]}>
                <Input lang="ar" dir="rtl" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="lastNameAr" label={t('patients.lastNameAr')} rules={[{ max: 100 }]}>
                <Input lang="ar" dir="rtl" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="dateOfBirth" label={t('patients.dateOfBirth')} rules={[{ required: true }]}>
                <Input type="date" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="preferredLanguage" label={t('patients.language')}>
                <Radio.Group
                  optionType="button"
                  options={[
                    { value: 'ar', label: <span lang="ar">العربية</span> },
                    { value: 'en', label: <span lang="en">English</span> },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="email" label={t('patients.email')} rules={[{ type: 'email' }]}>
                <Input type="email" dir="ltr" />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="phone" label={t('patients.phone')}>
                <Input type="tel" dir="ltr" placeholder="+9665…" />
              </Form.Item>
            </Col>
            <Col xs={24}>
              <Form.Item name="channels" label={t('patients.channels')}>
                <Checkbox.Group
                  options={[
                    { value: 'sms', label: t('channel.sms') },
                    { value: 'email', label: t('channel.email') },
                  ]}
                />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="guardianName" label={t('patients.guardianName')}>
                <Input />
              </Form.Item>
            </Col>
            <Col xs={24} md={12}>
              <Form.Item name="guardianRelationship" label={t('patients.guardianRelationship')}>
                <Input />
              </Form.Item>
            </Col>
          </Row>
          <Space direction="vertical" style={{ width: '100%' }}>
            <ProblemAlert error={problem} />
            <Button type="primary" htmlType="submit" loading={register.isPending || update.isPending}>
              {t('common.save')}
            </Button>
          </Space>
        </Form>
      </Card>
      {id && can('recordConsent') && <ConsentForm patientId={id} />}
      {id && can('listDeliveries') && <Link to={`/messages?patientId=${id}`}>{t('patients.messages')}</Link>}
    </Space>
  );
}

function ConsentForm({ patientId }: { patientId: string }) {
  const { t, language } = useLocale();
  const { message } = App.useApp();
  const [form] = Form.useForm<BodyOf<'recordConsent'>>();
  const record = useApiMutation('recordConsent', ['getSession']);
  return (
    <Card
      title={
        <Typography.Title level={2} style={{ fontSize: 18, margin: 0 }}>
          {t('patients.consents')}
        </Typography.Title>
      }
    >
      <Form
        form={form}
        layout="inline"
        initialValues={{ kind: 'TREATMENT', relationship: 'self' }}
        onFinish={async (values) => {
          try {
            await record.mutateAsync({ params: { id: patientId }, body: values });
            message.success(t('patients.consentRecorded'));
            form.resetFields();
          } catch (error) {
            showFieldErrors(form, error, language);
          }
        }}
      >
        <Form.Item name="kind" label={t('patients.consentKind')} htmlFor="consent-kind">
          <Select
            id="consent-kind"
            style={{ width: 180 }}
            options={(['TREATMENT', 'DATA_SHARING', 'PHOTOGRAPHY'] as const).map((k) => ({
              value: k,
              label: t(`consent.${k}`),
            }))}
          />
        </Form.Item>
        <Form.Item name="grantedBy" label={t('patients.grantedBy')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="relationship" label={t('patients.relationship')}>
          <Input />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={record.isPending} data-testid="record-consent">
          {t('patients.recordConsent')}
        </Button>
      </Form>
      <div style={{ marginTop: 12 }}>
        <ProblemAlert error={record.error} />
      </div>
    </Card>
  );
}
