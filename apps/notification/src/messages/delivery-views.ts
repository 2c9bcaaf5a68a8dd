// How a delivery looks in the delivery log: the recipient and any contact in the provider's answer masked (the log is
// read by the front desk; the message went to the family, not to them).
import { DeliveryBody } from '@agdar/contracts';
import { DeliveryRow } from './deliveries.repository';
import { maskContactsIn, maskRecipient } from './message-rules';

export function toDeliveryBody(row: DeliveryRow): DeliveryBody {
  return {
    id: row.id,
    kind: row.kind,
    channel: row.channel,
    recipient: row.recipient ? maskRecipient(row.recipient) : null,
    language: row.language,
    status: row.status,
    reason: row.reason,
    providerAnswer: row.providerAnswer ? maskContactsIn(row.providerAnswer) : null,
    attempts: row.attempts,
    appointmentNumber: row.appointmentNumber,
    participantId: row.participantId,
    patientId: row.patientId,
    sessionId: row.sessionId,
    notBefore: row.notBefore.toISOString(),
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}
