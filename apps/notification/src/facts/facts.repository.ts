// What notification knows of tenants (name, zone), service types (names) and patients' contacts, learnt from other
// services' events, and what addressing a message reads of them. Upserts, so facts converge whatever order they
// arrive in; a row of another tenant is never overwritten.
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { EventData, PatientRegistered, ServiceTypeDefined, TenantCreated } from '@agdar/contracts';
import { Contact, ServiceTypeFacts, TenantFacts, TenantRow, contactOf, tenantFactsOf } from './facts';

@Injectable()
export class FactsRepository {
  async recordTenant(em: EntityManager, data: EventData<typeof TenantCreated>): Promise<void> {
    await em.execute(
      `insert into known_tenants (code, name, name_ar, timezone) values (?, ?, ?, ?) on conflict (code) do nothing`,
      [data.code, data.name, data.nameAr ?? null, data.timezone],
    );
  }
  async tenant(em: EntityManager, code: string): Promise<TenantFacts | null> {
    const [row] = await em.execute<TenantRow[]>(
      `select code, name, name_ar, timezone from known_tenants where code = ?`,
      [code],
    );
    return row ? tenantFactsOf(row) : null;
  }
  async recordServiceType(em: EntityManager, tenant: string, data: EventData<typeof ServiceTypeDefined>) {
    await em.execute(
      `insert into service_types (id, tenant, name, name_ar) values (?, ?, ?, ?)
       on conflict (id) do update set name = excluded.name, name_ar = excluded.name_ar
       where service_types.tenant = excluded.tenant`,
      [data.serviceTypeId, tenant, data.name, data.nameAr],
    );
  }
  async recordContact(em: EntityManager, tenant: string, data: EventData<typeof PatientRegistered>): Promise<void> {
    const nameAr = [data.firstNameAr, data.lastNameAr].filter(Boolean).join(' ') || null;
    await em.execute(
      `insert into contacts (patient_id, tenant, name_en, name_ar, email, phone, language, channels, guardian_name,
         guardian_email, guardian_phone)
       values (?, ?, ?, ?, ?, ?, ?, ?::text[], ?, ?, ?)
       on conflict (patient_id) do update set name_en = excluded.name_en, name_ar = excluded.name_ar,
         email = excluded.email, phone = excluded.phone, language = excluded.language, channels = excluded.channels,
         guardian_name = excluded.guardian_name, guardian_email = excluded.guardian_email,
         guardian_phone = excluded.guardian_phone
       where contacts.tenant = excluded.tenant`,
      [
        data.patientId,
        tenant,
        `${data.firstNameEn} ${data.lastNameEn}`,
        nameAr,
        data.email,
        data.phone,
        data.preferredLanguage,
        `{${data.channels.join(',')}}`,
        data.guardian?.name ?? null,
        data.guardian?.email ?? null,
        data.guardian?.phone ?? null,
      ],
    );
  }
  /**
   * What a message needs to be addressed, in one round trip: the clinic, the service type's names and (for a patient's
   * message) the patient's contact; each null while notification has not learnt it yet.
   */
  async forMessage(
    em: EntityManager,
    tenant: string,
    serviceTypeId: string,
    patientId: string | null,
  ): Promise<{ tenant: TenantFacts | null; serviceType: ServiceTypeFacts | null; contact: Contact | null }> {
    const [row] = await em.execute(
      `select (select row_to_json(t) from known_tenants t where t.code = ?) as tenant,
              (select row_to_json(s) from service_types s where s.tenant = ? and s.id = ?) as service_type,
              (select row_to_json(c) from contacts c where c.tenant = ? and c.patient_id = ?) as contact`,
      [tenant, tenant, serviceTypeId, tenant, patientId],
    );
    return {
      tenant: row.tenant ? tenantFactsOf(row.tenant) : null,
      serviceType: row.service_type ? { name: row.service_type.name, nameAr: row.service_type.name_ar } : null,
      contact: row.contact ? contactOf(row.contact) : null,
    };
  }
}
