// When a session is: its clinic-local date and time and its length, as the create and reschedule forms ask them.
import { Form, Input, InputNumber } from 'antd';
import { useLocale } from '../../i18n/locale';

export function WhenFields() {
  const { t } = useLocale();
  return (
    <>
      <Form.Item name="scheduledDate" label={t('common.date')} rules={[{ required: true }]}>
        <Input type="date" />
      </Form.Item>
      <Form.Item name="scheduledTime" label={t('common.time')} rules={[{ required: true }]}>
        <Input type="time" step={300} />
      </Form.Item>
      <Form.Item name="durationMinutes" label={t('create.duration')} rules={[{ required: true }]}>
        <InputNumber min={5} max={480} step={5} />
      </Form.Item>
    </>
  );
}
