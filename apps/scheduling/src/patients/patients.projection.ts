// What scheduling learns from other services' facts: who the patients are, whose consent is verified, which
// appointments billing has cleared. Each change to a participant is audited like any other.
import { EntityManager } from '@mikro-orm/postgresql';
import { ConsentRecorded, Envelope, EventData, FinanceCleared, PatientRegistered } from '@agdar/contracts';
import { AuditActor, recordAudit } from '../sessions/audit';
import { Participant } from '../sessions/participant.entity';

/** From PatientRegistered and PatientUpdated; upsert by id, so the projection converges whatever order facts arrive in. */
export async function recordPatientFacts(em: EntityManager, tenant: string, data: EventData<typeof PatientRegistered>): Promise<void> {
  await em.execute(
    `insert into patients (id, tenant, display_name, consent_verified, finance_cleared, updated_at)
     values (?, ?, ?, false, false, now())
     on conflict (id) do update set display_name = excluded.display_name, updated_at = now()
     where patients.tenant = excluded.tenant`,
    [data.patientId, tenant, `${data.firstNameEn} ${data.lastNameEn}`],
  );
}

const auditorOf = (event: Envelope): AuditActor => ({ tenant: event.tenant, actor: event.actor, correlationId: event.correlationId });

/** A verified consent makes the patient's future and open participations consent-verified. */
export async function recordConsent(em: EntityManager, event: Envelope<EventData<typeof ConsentRecorded>>): Promise<void> {
  if (!event.data.verified) return;
  await em.execute(
    `insert into patients (id, tenant, display_name, consent_verified, finance_cleared, updated_at)
     values (?, ?, '', true, false, now())
     on conflict (id) do update set consent_verified = true, updated_at = now() where patients.tenant = excluded.tenant`,
    [event.data.patientId, event.tenant],
  );
  const open = await em.find(Participant, { tenant: event.tenant, patientId: event.data.patientId, status: { $in: ['BOOKED', 'CONFIRMED'] }, consentVerified: false });
  for (const participant of open) {
    participant.consentVerified = true;
    participant.updatedAt = new Date();
    await recordAudit(em, auditorOf(event), { sessionId: participant.sessionId, participantId: participant.id, action: 'CONSENT_VERIFIED', changes: { consentVerified: { before: false, after: true } } });
  }
}

export async function recordFinanceCleared(em: EntityManager, event: Envelope<EventData<typeof FinanceCleared>>): Promise<void> {
  const participant = await em.findOne(Participant, { id: event.data.participantId, tenant: event.tenant });
  if (!participant || participant.financeCleared) return;
  participant.financeCleared = true;
  participant.updatedAt = new Date();
  await recordAudit(em, auditorOf(event), { sessionId: participant.sessionId, participantId: participant.id, action: 'FINANCE_CLEARED', changes: { financeCleared: { before: false, after: true } } });
}
