// One session: its details and group notes, capacity, reschedule, start / complete / cancel; the roster with a row per
// participant (appointment number, name, status, what blocks check-in, invoice, confirmation, notes) and its actions;
// adding a patient; and the audit history. What is offered follows the user's roles and the session's state.
import { useState } from 'react';
import {
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Space,
  Table,
  Tabs,
  Tooltip,
  Typography,
} from 'antd';
import { useParams, useSearchParams } from 'react-router';
import type { BodyOf, ResponseOf } from '../../api/endpoints';
import type { CancelledBy } from '@agdar/contracts/browser';
import { useApi, useApiMutation } from '../../api/queries';
import { useEarlyMinutes } from '../../api/tenant';
import { Directory, useDirectory, zoneOf } from '../../api/directory';
import { useAuth } from '../../auth/auth';
import { useLocale } from '../../i18n/locale';
import { clockPlus, formatClock, formatDate, formatInstant, nameIn } from '../../i18n/format';
import {
  BilingualName,
  CapacityBadge,
  Chip,
  InvoiceStatusTag,
  ParticipantStatusTag,
  SessionStatusTag,
} from '../../ui/bits';
import { ProblemAlert } from '../../ui/problem';
import { AddPatient } from './add-patient';
import { checkInBlockers, participantActions, sessionActions } from './session-rules';
import { WhenFields } from './when-fields';

type Session = ResponseOf<'getSession'>;
type Participant = Session['participants'][number];
/** The reason scheduling records for those who never checked in when a session is completed. */
const NOT_CHECKED_IN = 'NOT_CHECKED_IN';
const REFRESHES = ['getSession', 'listSessions', 'sessionHistory', 'availableSessions'] as const;

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
          {can('updateSession') && <SessionActions session={s} />}
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

function SessionActions({ session }: { session: Session }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const update = useApiMutation('updateSession', [...REFRESHES]);
  const [dialog, setDialog] = useState<'cancel' | 'reschedule' | null>(null);
  const [capacity, setCapacity] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const earlyMinutes = useEarlyMinutes();
  const actions = sessionActions(session, new Date(), earlyMinutes);

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
        {actions.includes('start') && (
          <Button type="primary" onClick={() => change({ status: 'IN_PROGRESS' })} data-testid="start-session">
            {t('session.start')}
          </Button>
        )}
        {actions.includes('complete') && (
          <Button type="primary" onClick={() => change({ status: 'COMPLETED' })} data-testid="complete-session">
            {t('session.complete')}
          </Button>
        )}
        {actions.includes('reschedule') && (
          <Button onClick={() => setDialog('reschedule')}>{t('session.reschedule')}</Button>
        )}
        {actions.includes('capacity') && (
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
        {actions.includes('cancel') && (
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

function Roster({ session, zone }: { session: Session; zone: string }) {
  const { t, language } = useLocale();
  const { can } = useAuth();
  const update = useApiMutation('updateParticipant', [...REFRESHES]);
  const remove = useApiMutation('removeParticipant', [...REFRESHES]);
  const [errors, setErrors] = useState<Record<string, unknown>>({});
  const [dialog, setDialog] = useState<{ kind: 'noShow' | 'remove' | 'notes'; participant: Participant } | null>(null);
  const earlyMinutes = useEarlyMinutes();
  const now = new Date();

  async function run(participant: Participant, action: () => Promise<unknown>) {
    setErrors((e) => ({ ...e, [participant.id]: null }));
    try {
      await action();
      setDialog(null);
    } catch (error) {
      setErrors((e) => ({ ...e, [participant.id]: error }));
    }
  }
  const change = (p: Participant, body: BodyOf<'updateParticipant'>) =>
    run(p, () => update.mutateAsync({ params: { id: session.id, pid: p.id }, body }));

  const columns = [
    {
      title: t('roster.appointment'),
      key: 'number',
      render: (p: Participant) => <bdi data-testid="appointment-number">{p.appointmentNumber}</bdi>,
    },
    {
      title: t('roster.patient'),
      key: 'name',
      render: (p: Participant) => <BilingualName en={p.patientNameEn} ar={p.patientNameAr} />,
    },
    {
      title: t('common.status'),
      key: 'status',
      render: (p: Participant) => (
        <Space direction="vertical" size={2}>
          <ParticipantStatusTag status={p.status} />
          {p.noShowReason && (
            <Typography.Text type="secondary" data-testid="no-show-reason">
              {t('roster.noShowReason', {
                reason: p.noShowReason === NOT_CHECKED_IN ? t('roster.notCheckedIn') : p.noShowReason,
              })}
            </Typography.Text>
          )}
          {p.cancellationReason && (
            <Typography.Text type="secondary" data-testid="cancellation">
              {p.cancelledBy ? `${t(`cancelledBy.${p.cancelledBy}`)}: ` : ''}
              {p.cancellationReason}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('roster.checkIn'),
      key: 'checkIn',
      render: (p: Participant) => {
        const blockers = checkInBlockers(p);
        if (!blockers.length) return <Chip tone="green">{t('roster.ready')}</Chip>;
        return (
          <Space direction="vertical" size={2} data-testid="check-in-blockers">
            {blockers.map((b) => (
              <Chip key={b} tone="orange" data-blocker={b}>
                {t(b === 'consent' ? 'roster.needsConsent' : 'roster.needsPayment')}
              </Chip>
            ))}
          </Space>
        );
      },
    },
    {
      title: t('roster.invoice'),
      key: 'invoice',
      render: (p: Participant) =>
        p.invoiceStatus ? (
          <Space direction="vertical" size={2}>
            <bdi>{p.invoiceNumber ?? t('roster.invoiceDraft')}</bdi>
            <InvoiceStatusTag status={p.invoiceStatus} />
          </Space>
        ) : (
          t('common.none')
        ),
    },
    {
      title: t('roster.confirmation'),
      key: 'confirmation',
      render: (p: Participant) =>
        p.confirmationSentAt ? (
          <Typography.Text>
            {t('roster.confirmationSent', { when: formatInstant(p.confirmationSentAt, zone, language) })}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">{t('roster.confirmationPending')}</Typography.Text>
        ),
    },
    {
      title: t('roster.notes'),
      key: 'notes',
      render: (p: Participant) => (
        <Space direction="vertical" size={2}>
          {p.individualNotes && <Typography.Text>{p.individualNotes}</Typography.Text>}
          {p.noShowNotes && <Typography.Text type="secondary">{p.noShowNotes}</Typography.Text>}
          {can('updateParticipant') && (
            <Button size="small" type="link" onClick={() => setDialog({ kind: 'notes', participant: p })}>
              {t('roster.saveNotes')}
            </Button>
          )}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      render: (p: Participant) => {
        const actions = participantActions(p, session, now, earlyMinutes);
        const blockers = checkInBlockers(p);
        return (
          <Space direction="vertical">
            <Space wrap>
              {can('updateParticipant') && actions.includes('checkIn') && (
                <Tooltip
                  title={
                    blockers.length
                      ? t(blockers[0] === 'consent' ? 'roster.needsConsent' : 'roster.needsPayment')
                      : undefined
                  }
                >
                  <Button
                    size="small"
                    type="primary"
                    disabled={!p.canCheckIn}
                    onClick={() => change(p, { status: 'ARRIVED' })}
                    data-testid="check-in"
                  >
                    {t('roster.doCheckIn')}
                  </Button>
                </Tooltip>
              )}
              {can('updateParticipant') && actions.includes('confirm') && (
                <Button size="small" onClick={() => change(p, { status: 'CONFIRMED' })} data-testid="confirm">
                  {t('roster.doConfirm')}
                </Button>
              )}
              {can('updateParticipant') && actions.includes('noShow') && (
                <Button
                  size="small"
                  onClick={() => setDialog({ kind: 'noShow', participant: p })}
                  data-testid="no-show"
                >
                  {t('roster.doNoShow')}
                </Button>
              )}
              {can('removeParticipant') && actions.includes('remove') && (
                <Button
                  size="small"
                  danger
                  onClick={() => setDialog({ kind: 'remove', participant: p })}
                  data-testid="remove"
                >
                  {t('roster.doRemove')}
                </Button>
              )}
            </Space>
            {!dialog && errors[p.id] ? <ProblemAlert error={errors[p.id]} testId="row-problem" /> : null}
          </Space>
        );
      },
    },
  ];

  const name = (p: Participant) => (language === 'ar' && p.patientNameAr) || p.patientNameEn;
  return (
    <>
      <Table<Participant>
        rowKey="id"
        dataSource={session.participants}
        columns={columns}
        pagination={false}
        locale={{ emptyText: t('roster.empty') }}
        onRow={(p) => ({ 'data-testid': 'roster-row', 'data-patient': p.patientNameEn }) as object}
        scroll={{ x: true }}
      />
      <ReasonDialog
        open={dialog?.kind === 'noShow'}
        withNotes
        title={dialog ? t('roster.noShowTitle', { name: name(dialog.participant) }) : ''}
        error={dialog && errors[dialog.participant.id]}
        onCancel={() => setDialog(null)}
        onSubmit={(reason, notes) =>
          change(dialog!.participant, { status: 'NO_SHOW', noShowReason: reason, noShowNotes: notes })
        }
      />
      <ReasonDialog
        open={dialog?.kind === 'remove'}
        withCancelledBy
        title={dialog ? t('roster.removeTitle', { name: name(dialog.participant) }) : ''}
        error={dialog && errors[dialog.participant.id]}
        onCancel={() => setDialog(null)}
        onSubmit={(reason, _notes, cancelledBy) =>
          run(dialog!.participant, () =>
            remove.mutateAsync({
              params: { id: session.id, pid: dialog!.participant.id },
              query: { reason, cancelledBy },
            }),
          )
        }
      />
      <NotesDialog
        participant={dialog?.kind === 'notes' ? dialog.participant : null}
        error={dialog && errors[dialog.participant.id]}
        onCancel={() => setDialog(null)}
        onSubmit={(notes) => change(dialog!.participant, { individualNotes: notes })}
      />
    </>
  );
}

function NotesDialog(props: {
  participant: Participant | null;
  error: unknown;
  onCancel(): void;
  onSubmit(notes: string | null): Promise<unknown>;
}) {
  const { t, language } = useLocale();
  const p = props.participant;
  return (
    <Modal
      open={!!p}
      title={p ? t('roster.notesOf', { name: (language === 'ar' && p.patientNameAr) || p.patientNameEn }) : ''}
      onCancel={props.onCancel}
      footer={null}
      destroyOnHidden
    >
      <Form
        layout="vertical"
        initialValues={{ notes: p?.individualNotes ?? '' }}
        onFinish={(v: { notes: string }) => props.onSubmit(v.notes.trim() || null)}
      >
        <Form.Item name="notes" label={t('roster.notes')}>
          <Input.TextArea rows={4} maxLength={4000} />
        </Form.Item>
        {p && props.error ? <ProblemAlert error={props.error} /> : null}
        <Button type="primary" htmlType="submit">
          {t('common.save')}
        </Button>
      </Form>
    </Modal>
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
