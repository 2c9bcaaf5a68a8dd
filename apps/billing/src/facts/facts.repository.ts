// What billing learns of other services' facts from their events: tenants (seller, currency, VAT), service types
// (names) and patients (bill-to names, nationality). Upserts, so facts converge whatever order they arrive in; a row of
// another tenant is never overwritten. Sessions' times and early settlements are the invoices' own (drafts.repository).
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { EventData, PatientRegistered, ServiceTypeDefined, TenantCreated } from '@agdar/contracts';

@Injectable()
export class FactsRepository {
  async recordTenant(em: EntityManager, data: EventData<typeof TenantCreated>): Promise<void> {
    await em.execute(
      `insert into known_tenants (code, name, name_ar, legal_name, vat_number, timezone, currency, vat_rate)
       values (?, ?, ?, ?, ?, ?, ?, ?) on conflict (code) do nothing`,
      [
        data.code,
        data.name,
        data.nameAr ?? null,
        data.legalName ?? data.name,
        data.vatNumber ?? null,
        data.timezone,
        data.currency,
        data.vatRate,
      ],
    );
  }
  async recordServiceType(em: EntityManager, tenant: string, data: EventData<typeof ServiceTypeDefined>) {
    await em.execute(
      `insert into service_types (id, tenant, code, name, name_ar, active) values (?, ?, ?, ?, ?, ?)
       on conflict (id) do update set code = excluded.code, name = excluded.name, name_ar = excluded.name_ar,
         active = excluded.active
       where service_types.tenant = excluded.tenant`,
      [data.serviceTypeId, tenant, data.code, data.name, data.nameAr, data.active],
    );
  }
  async recordPatient(em: EntityManager, tenant: string, data: EventData<typeof PatientRegistered>) {
    const nameAr = [data.firstNameAr, data.lastNameAr].filter(Boolean).join(' ') || null;
    await em.execute(
      `insert into patients (id, tenant, name, name_ar, nationality) values (?, ?, ?, ?, ?)
       on conflict (id) do update set name = excluded.name, name_ar = excluded.name_ar,
         nationality = excluded.nationality
       where patients.tenant = excluded.tenant`,
      [data.patientId, tenant, `${data.firstNameEn} ${data.lastNameEn}`, nameAr, data.nationality ?? null],
    );
  }
}
