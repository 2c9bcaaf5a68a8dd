// What may be done to a session itself (start, complete, reschedule, capacity, cancel), as the server offers it to
// this user now, and the dialog that asks for a reason.
import { useState } from 'react';
import { App, Button, Form, Input, InputNumber, Modal, Radio, Space } from 'antd';
import type { CancelledBy } from '@agdar/contracts/browser';
import type { BodyOf, ResponseOf } from '../../api/endpoints';
import { useApiMutation } from '../../api/queries';
import { useLocale } from '../../i18n/locale';
import { ProblemAlert } from '../../ui/problem';
import { shownOffer } from './session-rules';
import { WhenFields } from './when-fields';

export type Session = ResponseOf<'getSession'>;
export type Participant = Session['participants'][number];
/** What a change on the session page makes stale. */
export const REFRESHES = ['getSession', 'listSessions', 'sessionHistory', 'availableSessions'] as const;

export function SessionActions({ session }: { session: Session }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const update = useApiMutation('updateSession', [...REFRESHES]);
  const [dialog, setDialog] = useState<'cancel' | 'reschedule' | null>(null);
  const [capacity, setCapacity] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const offered = (action: Session['actions'][number]['action']) => shownOffer(session.actions, action) !== null;

  async function change(body: BodyOf<'updateSession'>) {
    setError(null);
    try {
      await update.mutateAsync({ params: { id: session.id }, body });
      message.success(t('session.saved'));
      setDialog(null);
      return true;
    } catch (e) {
      setError(e);
      return false;
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {offered('start') && (
          <Button type="primary" onClick={() => change({ status: 'IN_PROGRESS' })} data-testid="start-session">
            {t('session.start')}
          </Button>
        )}
        {offered('complete') && (
          <Button type="primary" onClick={() => change({ status: 'COMPLETED' })} data-testid="complete-session">
            {t('session.complete')}
          </Button>
        )}
        {offered('reschedule') && <Button onClick={() => setDialog('reschedule')}>{t('session.reschedule')}</Button>}
        {offered('changeCapacity') && (
          <Space.Compact>
            <InputNumber
              aria-label={t('session.changeCapacity')}
              min={1}
              max={20}
              value={capacity ?? session.maxCapacity}
              onChange={(v) => setCapacity(v)}
            />
            <Button
              onClick={() => capacity && change({ maxCapacity: capacity }).then((ok) => ok && setCapacity(null))}
              disabled={!capacity || capacity === session.maxCapacity}
            >
              {t('session.changeCapacity')}
            </Button>
          </Space.Compact>
        )}
        {offered('cancel') && (
          <Button danger onClick={() => setDialog('cancel')}>
            {t('session.cancel')}
          </Button>
        )}
      </Space>
      {!dialog && <ProblemAlert error={error} testId="session-problem" />}
      <ReasonDialog
        open={dialog === 'cancel'}
        title={t('session.cancelTitle', { number: session.sessionNumber })}
        error={error}
        onCancel={() => setDialog(null)}
        onSubmit={(reason) => change({ status: 'CANCELLED', reason })}
      />
      <Modal
        open={dialog === 'reschedule'}
        title={t('session.rescheduleTitle', { number: session.sessionNumber })}
        onCancel={() => setDialog(null)}
        footer={null}
        destroyOnHidden
      >
        <Form
          layout="vertical"
          initialValues={{
            scheduledDate: session.scheduledDate,
            scheduledTime: session.scheduledTime,
            durationMinutes: session.durationMinutes,
          }}
          onFinish={(values) => change(values)}
        >
          <WhenFields />
          <Space direction="vertical" style={{ width: '100%' }}>
            {dialog === 'reschedule' && error ? <ProblemAlert error={error} /> : null}
            <Button type="primary" htmlType="submit" loading={update.isPending}>
              {t('common.save')}
            </Button>
          </Space>
        </Form>
      </Modal>
    </Space>
  );
}

/** A dialog that asks for a reason (cancel a session, mark a no-show, remove a participant) and shows what failed. */
export function ReasonDialog(props: {
  open: boolean;
  title: string;
  error: unknown;
  withNotes?: boolean;
  /** Asks who cancelled: the family (the fee policy applies) or the clinic (never charged). */
  withCancelledBy?: boolean;
  onCancel(): void;
  onSubmit(reason: string, notes: string | null, cancelledBy: CancelledBy): Promise<unknown>;
}) {
  const { t } = useLocale();
  const [busy, setBusy] = useState(false);
  return (
    <Modal open={props.open} title={props.title} onCancel={props.onCancel} footer={null} destroyOnHidden>
      <Form
        layout="vertical"
        onFinish={async (values: { reason: string; notes?: string; cancelledBy?: CancelledBy }) => {
          setBusy(true);
          const cancelledBy = values.cancelledBy ?? 'CLINIC';
          await props
            .onSubmit(values.reason.trim(), values.notes?.trim() || null, cancelledBy)
            .finally(() => setBusy(false));
        }}
      >
        {props.withCancelledBy && (
          <Form.Item name="cancelledBy" label={t('roster.cancelledBy')} rules={[{ required: true }]}>
            <Radio.Group data-testid="cancelled-by">
              <Radio value="PATIENT" data-testid="cancelled-by-patient">
                {t('cancelledBy.PATIENT')}
              </Radio>
              <Radio value="CLINIC" data-testid="cancelled-by-clinic">
                {t('cancelledBy.CLINIC')}
              </Radio>
            </Radio.Group>
          </Form.Item>
        )}
        <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true, whitespace: true, max: 500 }]}>
          <Input data-testid="reason" />
        </Form.Item>
        {props.withNotes && (
          <Form.Item name="notes" label={t('roster.noShowNotes')}>
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
        )}
        <Space direction="vertical" style={{ width: '100%' }}>
          {props.open && props.error ? <ProblemAlert error={props.error} testId="dialog-problem" /> : null}
          <Space>
            <Button type="primary" htmlType="submit" loading={busy} data-testid="reason-submit">
              {t('common.save')}
            </Button>
            <Button onClick={props.onCancel}>{t('common.cancel')}</Button>
          </Space>
        </Space>
      </Form>
    </Modal>
  );
}
