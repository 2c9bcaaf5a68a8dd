// The roster of a session: a row per participant (appointment number, name, status, what blocks check-in, invoice,
// confirmation, notes) with the actions the server offers this user on that seat now.
import { useState } from 'react';
import { Button, Form, Input, Modal, Space, Table, Tooltip, Typography } from 'antd';
import type { ActionBlocker } from '@agdar/contracts/browser';
import type { BodyOf } from '../../api/endpoints';
import { useApiMutation } from '../../api/queries';
import { useAuth } from '../../auth/auth';
import { useLocale } from '../../i18n/locale';
import type { MessageKey } from '../../i18n/messages';
import { formatInstant } from '../../i18n/format';
import { BilingualName, Chip, InvoiceStatusTag, ParticipantStatusTag } from '../../ui/bits';
import { ProblemAlert } from '../../ui/problem';
import { Participant, ReasonDialog, REFRESHES, Session } from './session-actions';
import { checkInBlockers, shownOffer } from './session-rules';

/** The reason scheduling records for those who never checked in when a session is completed. */
const NOT_CHECKED_IN = 'NOT_CHECKED_IN';
/** What the desk reads when a shown action is blocked (a time blocker hides the action instead). */
const BLOCKER_TEXT: Record<ActionBlocker, MessageKey> = {
  CONSENT: 'roster.needsConsent',
  PAYMENT: 'roster.needsPayment',
  TOO_EARLY: 'roster.tooEarly',
  FULL: 'addPatient.full',
  STARTED: 'addPatient.closed',
};

export function Roster({ session, zone }: { session: Session; zone: string }) {
  const { t, language } = useLocale();
  const { can } = useAuth();
  const update = useApiMutation('updateParticipant', [...REFRESHES]);
  const remove = useApiMutation('removeParticipant', [...REFRESHES]);
  const [errors, setErrors] = useState<Record<string, unknown>>({});
  const [dialog, setDialog] = useState<{ kind: 'noShow' | 'remove' | 'notes'; participant: Participant } | null>(null);

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
        const checkIn = shownOffer(p.actions, 'checkIn');
        const offered = (action: Participant['actions'][number]['action']) => shownOffer(p.actions, action) !== null;
        const blocker = checkIn?.blockers[0];
        return (
          <Space direction="vertical">
            <Space wrap>
              {checkIn && (
                <Tooltip title={blocker ? t(BLOCKER_TEXT[blocker]) : undefined}>
                  <Button
                    size="small"
                    type="primary"
                    disabled={!checkIn.allowed}
                    onClick={() => change(p, { status: 'ARRIVED' })}
                    data-testid="check-in"
                    data-blockers={checkIn.blockers.join(' ')}
                  >
                    {t('roster.doCheckIn')}
                  </Button>
                </Tooltip>
              )}
              {offered('confirm') && (
                <Button size="small" onClick={() => change(p, { status: 'CONFIRMED' })} data-testid="confirm">
                  {t('roster.doConfirm')}
                </Button>
              )}
              {offered('noShow') && (
                <Button
                  size="small"
                  onClick={() => setDialog({ kind: 'noShow', participant: p })}
                  data-testid="no-show"
                >
                  {t('roster.doNoShow')}
                </Button>
              )}
              {offered('remove') && (
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
