// What scheduling learns of its participants from other services: billing clearing an appointment and its invoice's
// number and status, notification's sent confirmation. Every statement is scoped by the event's tenant; each change but
// the invoice's (billing keeps that history) is audited like any other.
import { EntityManager } from '@mikro-orm/postgresql';
import { ConfirmationSent, EventData, FinanceCleared, InvoiceStatusChanged } from '@agdar/contracts';
import { metaCausedBy } from '@agdar/messaging';
import { contextOf, EventContext } from '@agdar/service-kit';
import { recordAudit } from './audit';
import { Participant } from './participant.entity';

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
