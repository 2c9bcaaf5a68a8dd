// Create a session: group (capacity 1-20, created empty) or individual. The form's choices come from the tenant's
// active reference data; a conflict the API finds (provider, room) is shown on the field it is about.
import { useState } from 'react';
import { Button, Card, Form, Input, InputNumber, Radio, Select, Space, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { clinicToday, MAX_GROUP_CAPACITY } from '@agdar/contracts/browser';
import { useApiMutation } from '../../api/queries';
import { useDirectory } from '../../api/directory';
import type { BodyOf } from '../../api/endpoints';
import { useLocale } from '../../i18n/locale';
import { nameIn } from '../../i18n/format';
import { ProblemAlert, problemMessage, showFieldErrors } from '../../ui/problem';
import { fieldOfConflict } from './session-problems';
import { WhenFields } from './when-fields';

type Values = BodyOf<'createSession'>;

export default function CreateSessionPage() {
  const { t, language } = useLocale();
  const navigate = useNavigate();
  const directory = useDirectory();
  const [form] = Form.useForm<Values>();
  const create = useApiMutation('createSession', ['listSessions']);
  const [problem, setProblem] = useState<unknown>(null);
  const clinicId = Form.useWatch('clinicId', form);
  const sessionType = Form.useWatch('sessionType', form);
  const active = <T extends { active: boolean }>(items: T[]) => items.filter((i) => i.active);

  async function submit(values: Values) {
    setProblem(null);
    try {
      const session = await create.mutateAsync({ body: { ...values, groupNotes: values.groupNotes || null } });
      navigate(`/sessions/${session.id}`);
    } catch (error) {
      const field = fieldOfConflict(error);
      if (field) form.setFields([{ name: field as keyof Values, errors: [problemMessage(error, language)] }]);
      showFieldErrors(form, error, language);
      setProblem(error);
    }
  }

  return (
    <Card>
      <Typography.Title level={1} style={{ fontSize: 24, marginTop: 0 }}>
        {t('create.title')}
      </Typography.Title>
      <Form<Values>
        form={form}
        layout="vertical"
        style={{ maxWidth: 560 }}
        initialValues={{ sessionType: 'GROUP', maxCapacity: 6, durationMinutes: 60 }}
        onFinish={submit}
        onValuesChange={(changed) => {
          if (changed.sessionType === 'INDIVIDUAL') form.setFieldValue('maxCapacity', 1);
          if (changed.clinicId) {
            form.setFieldValue('roomId', undefined);
            const clinic = directory.clinic.get(changed.clinicId);
            if (clinic && !form.getFieldValue('scheduledDate'))
              form.setFieldValue('scheduledDate', clinicToday(clinic.timezone));
          }
          if (changed.serviceTypeId) {
            const type = directory.serviceType.get(changed.serviceTypeId);
            if (type) form.setFieldValue('durationMinutes', type.defaultDurationMinutes);
          }
        }}
      >
        <Form.Item name="sessionType" label={t('sessions.type')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'GROUP', label: t('sessionType.GROUP') },
              { value: 'INDIVIDUAL', label: t('sessionType.INDIVIDUAL') },
            ]}
          />
        </Form.Item>
        <Form.Item name="maxCapacity" label={t('create.capacity')} rules={[{ required: true }]}>
          <InputNumber min={1} max={sessionType === 'INDIVIDUAL' ? 1 : MAX_GROUP_CAPACITY} />
        </Form.Item>
        <Form.Item name="clinicId" label={t('common.clinic')} rules={[{ required: true }]}>
          <Select options={active(directory.clinics).map((c) => ({ value: c.id, label: nameIn(c, language) }))} />
        </Form.Item>
        <Form.Item name="roomId" label={t('common.room')} rules={[{ required: true }]}>
          <Select
            disabled={!clinicId}
            options={active(directory.rooms)
              .filter((r) => r.clinicId === clinicId)
              .map((r) => ({ value: r.id, label: nameIn(r, language) }))}
          />
        </Form.Item>
        <Form.Item name="providerId" label={t('common.provider')} rules={[{ required: true }]}>
          <Select
            options={active(directory.providers)
              .filter((p) => !p.clinicId || !clinicId || p.clinicId === clinicId)
              .map((p) => ({ value: p.id, label: nameIn(p, language) }))}
          />
        </Form.Item>
        <Form.Item name="serviceTypeId" label={t('common.serviceType')} rules={[{ required: true }]}>
          <Select
            options={active(directory.serviceTypes).map((s) => ({
              value: s.id,
              label: nameIn(s, language),
            }))}
          />
        </Form.Item>
        <Space size="large" wrap>
          <WhenFields />
        </Space>
        <Form.Item name="groupNotes" label={t('create.groupNotes')}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Space direction="vertical" style={{ width: '100%' }}>
          <ProblemAlert error={problem} testId="create-problem" />
          <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="create-session">
            {t('create.submit')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}
