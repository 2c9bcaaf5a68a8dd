// What scheduling learns of patients from the participant service: who they are and whose consent is verified. Each
// change to a participant is audited like any other. Every statement is scoped
// by the event's tenant: an event of one tenant never touches another tenant's rows.
import { EntityManager } from '@mikro-orm/postgresql';
import { ConsentRecorded, EventData, PARTICIPANT_STATUSES, PatientRegistered } from '@agdar/contracts';
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
    `insert into patients (id, tenant, display_name, display_name_ar, consent_verified, updated_at)
     values (?, ?, ?, ?, false, now())
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
    `insert into patients (id, tenant, display_name, consent_verified, updated_at)
     values (?, ?, '', true, now())
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
