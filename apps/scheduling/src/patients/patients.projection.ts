import { EntityManager } from '@mikro-orm/postgresql';
import { EventData, PatientRegistered } from '@agdar/contracts';

/** Upsert by id: the projection converges whatever order facts about one patient arrive in. */
export async function recordPatientRegistered(em: EntityManager, tenant: string, data: EventData<typeof PatientRegistered>): Promise<void> {
  await em.execute(
    `insert into patients (id, tenant, display_name, consent_verified, finance_cleared, updated_at)
     values (?, ?, ?, false, false, now())
     on conflict (id) do update set display_name = excluded.display_name, updated_at = now()
     where patients.tenant = excluded.tenant`,
    [data.patientId, tenant, `${data.firstNameEn} ${data.lastNameEn}`],
  );
}
