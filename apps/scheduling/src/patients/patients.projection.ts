// What scheduling learns from other services' facts: who the patients are, whose consent is verified, which
// appointments billing has cleared. Each change to a participant is audited like any other. Every statement is scoped
// by the event's tenant: an event of one tenant never touches another tenant's rows.
import { EntityManager } from '@mikro-orm/postgresql';
import {
  ConfirmationSent,
  ConsentRecorded,
  EventData,
  FinanceCleared,
  InvoiceStatusChanged,
  PARTICIPANT_STATUSES,
  PatientRegistered,
} from '@agdar/contracts';
import { metaCausedBy } from '@agdar/messaging';
import { contextOf, EventContext } from '@agdar/service-kit';
import { recordAudit } from '../sessions/audit';
import { Participant } from '../sessions/participant.entity';
import { awaitsConsent } from '../sessions/session-rules';

/**
 * From PatientRegistered and PatientUpdated; upsert by id, so the projection converges whatever order facts arrive in.
 */
export async function recordPatientFacts(
  em: EntityManager,
  tenant: string,
  data: EventData<typeof PatientRegistered>,
): Promise<void> {
  const arabic = [data.firstNameAr, data.lastNameAr].filter(Boolean).join(' ') || null;
  await em.execute(
    `insert into patients (id, tenant, display_name, display_name_ar, consent_verified, finance_cleared, updated_at)
     values (?, ?, ?, ?, false, false, now())
     on conflict (id) do update
       set display_name = excluded.display_name, display_name_ar = excluded.display_name_ar, updated_at = now()
     where patients.tenant = excluded.tenant`,
    [data.patientId, tenant, `${data.firstNameEn} ${data.lastNameEn}`, arabic],
  );
}

/** A verified consent makes the patient's seats that still await their session consent-verified. */
export async function recordConsent(ctx: EventContext, data: EventData<typeof ConsentRecorded>): Promise<void> {
  if (!data.verified) return;
  const { em, event } = ctx;
  await em.execute(
    `insert into patients (id, tenant, display_name, consent_verified, finance_cleared, updated_at)
     values (?, ?, '', true, false, now())
     on conflict (id) do update set consent_verified = true, updated_at = now() where patients.tenant = excluded.tenant`,
    [data.patientId, event.tenant],
  );
  const waiting = PARTICIPANT_STATUSES.filter(awaitsConsent);
  const open = await em.find(Participant, {
    tenant: event.tenant,
    patientId: data.patientId,
    status: { $in: waiting },
    consentVerified: false,
  });
  const useCase = contextOf(em, metaCausedBy(event));
  for (const participant of open) {
    participant.consentVerified = true;
    participant.updatedAt = new Date();
    const changes = { consentVerified: { before: false, after: true } };
    await recordAudit(useCase, {
      sessionId: participant.sessionId,
      participantId: participant.id,
      action: 'CONSENT_VERIFIED',
      changes,
    });
  }
}

export async function recordFinanceCleared(ctx: EventContext, data: EventData<typeof FinanceCleared>): Promise<void> {
  const { em, event } = ctx;
  const participant = await em.findOne(Participant, { id: data.participantId, tenant: event.tenant });
  if (!participant || participant.financeCleared) return;
  participant.financeCleared = true;
  participant.updatedAt = new Date();
  const changes = { financeCleared: { before: false, after: true } };
  await recordAudit(contextOf(em, metaCausedBy(event)), {
    sessionId: participant.sessionId,
    participantId: participant.id,
    action: 'FINANCE_CLEARED',
    changes,
  });
}

/** The participant's invoice number and status as billing last told, for the roster; not audited (billing keeps it). */
export async function recordInvoiceStatus(
  em: EntityManager,
  tenant: string,
  data: EventData<typeof InvoiceStatusChanged>,
): Promise<void> {
  await em.execute(`update participants set invoice_number = ?, invoice_status = ? where id = ? and tenant = ?`, [
    data.invoiceNumber,
    data.status,
    data.participantId,
    tenant,
  ]);
}

/** The participant's booking confirmation went out (notification's ConfirmationSent): the first time is kept. */
export async function recordConfirmationSent(
  ctx: EventContext,
  data: EventData<typeof ConfirmationSent>,
): Promise<void> {
  const { em, event } = ctx;
  const participant = await em.findOne(Participant, { id: data.participantId, tenant: event.tenant });
  if (!participant || participant.confirmationSentAt) return;
  participant.confirmationSentAt = new Date(data.sentAt);
  participant.updatedAt = new Date();
  await recordAudit(contextOf(em, metaCausedBy(event)), {
    sessionId: participant.sessionId,
    participantId: participant.id,
    action: 'CONFIRMATION_SENT',
    changes: {
      confirmationSentAt: { before: null, after: data.sentAt },
      channel: { before: null, after: data.channel },
    },
  });
}
