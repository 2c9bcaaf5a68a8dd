// What billing knows of other services' facts, learnt from their events: tenants (seller, currency, VAT), service
// types (names), patients (bill-to names, nationality). Upserts, so facts converge whatever order they arrive in.
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { EventData, PatientRegistered, ServiceTypeDefined, TenantCreated } from '@agdar/contracts';

export interface TenantFacts {
  code: string;
  legalName: string;
  vatNumber: string | null;
  timezone: string;
  currency: string;
  vatRate: string;
}

export interface ServiceTypeFacts {
  id: string;
  code: string;
  name: string;
  nameAr: string | null;
}

export interface PatientFacts {
  id: string;
  name: string;
  nameAr: string | null;
  nationality: string | null;
}

@Injectable()
export class FactsRepository {
  async recordTenant(em: EntityManager, data: EventData<typeof TenantCreated>): Promise<void> {
    await em.execute(
      `insert into known_tenants (code, name, legal_name, vat_number, timezone, currency, vat_rate)
       values (?, ?, ?, ?, ?, ?, ?) on conflict (code) do nothing`,
      [
        data.code,
        data.name,
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

  async tenant(em: EntityManager, code: string): Promise<TenantFacts | null> {
    const [row] = await em.execute(
      `select code, legal_name, vat_number, timezone, currency, vat_rate::text as vat_rate
       from known_tenants where code = ?`,
      [code],
    );
    if (!row) return null;
    return {
      code: row.code,
      legalName: row.legal_name,
      vatNumber: row.vat_number,
      timezone: row.timezone,
      currency: row.currency,
      vatRate: row.vat_rate,
    };
  }

  async serviceType(em: EntityManager, tenant: string, id: string): Promise<ServiceTypeFacts | null> {
    const [row] = await em.execute(`select id, code, name, name_ar from service_types where tenant = ? and id = ?`, [
      tenant,
      id,
    ]);
    return row ? { id: row.id, code: row.code, name: row.name, nameAr: row.name_ar } : null;
  }
}
