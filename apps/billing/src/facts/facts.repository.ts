// What billing knows of other services' facts, learnt from their events: tenants (seller, currency, VAT), service
// types (names), patients (bill-to names, nationality), sessions (their newest time, by version), and settlements
// that arrived before the booking they settle. Upserts, so facts converge whatever order they arrive in.
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { EventData, PatientRegistered, ServiceTypeDefined, SessionSnapshot, TenantCreated } from '@agdar/contracts';
import { reviveSettlement, Settlement } from '../invoices/invoice-rules';

export interface TenantFacts {
  code: string;
  legalName: string;
  /** The clinic's name in Arabic, printed beside the seller's. */
  nameAr: string | null;
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

/** Where and when a session takes place, as its newest fact billing has applied tells it. */
export interface SessionTimes {
  startsAt: Date;
  clinicDate: string;
  clinicTime: string;
  timezone: string;
}

@Injectable()
export class FactsRepository {
  /**
   * Keeps the snapshot if it is newer than the one stored; returns the session's newest times and whether this
   * snapshot moved them. Callers hold the tenant's drafts lock, so facts of one session are applied one at a time.
   */
  async recordSession(
    em: EntityManager,
    tenant: string,
    s: SessionSnapshot,
  ): Promise<{ moved: boolean; current: SessionTimes | null }> {
    const [row] = await em.execute(
      `with previous as (select * from session_facts where session_id = ? and tenant = ?),
       upserted as (
         insert into session_facts (session_id, tenant, version, timezone, starts_at, clinic_date, clinic_time)
         values (?, ?, ?, ?, ?, ?, ?)
         on conflict (session_id) do update set version = excluded.version, timezone = excluded.timezone,
           starts_at = excluded.starts_at, clinic_date = excluded.clinic_date, clinic_time = excluded.clinic_time
         where session_facts.tenant = excluded.tenant and session_facts.version < excluded.version
         returning *),
       now as (select * from upserted union all select * from previous where not exists (select 1 from upserted))
       select now.timezone, now.starts_at, to_char(now.clinic_date, 'YYYY-MM-DD') as clinic_date, now.clinic_time,
         exists (select 1 from upserted u, previous p
                 where (u.starts_at, u.clinic_date, u.clinic_time, u.timezone)
                   is distinct from (p.starts_at, p.clinic_date, p.clinic_time, p.timezone)) as moved
       from now`,
      [s.sessionId, tenant, s.sessionId, tenant, s.version, s.timezone, s.startsAt, s.scheduledDate, s.scheduledTime],
    );
    if (!row) return { moved: false, current: null };
    return {
      moved: row.moved,
      current: {
        startsAt: new Date(row.starts_at),
        clinicDate: row.clinic_date,
        clinicTime: row.clinic_time,
        timezone: row.timezone,
      },
    };
  }

  /** A settlement of a seat billing has no invoice for yet: kept for the booking (the first one stands). */
  async rememberSettlement(em: EntityManager, tenant: string, participantId: string, settlement: Settlement) {
    await em.execute(
      `insert into early_settlements (participant_id, tenant, settlement) values (?, ?, ?::jsonb)
       on conflict (participant_id) do nothing`,
      [participantId, tenant, JSON.stringify(settlement)],
    );
  }

  /** The settlement that arrived before this seat's booking, taken (it settles the invoice being drafted). */
  async takeSettlement(em: EntityManager, tenant: string, participantId: string): Promise<Settlement | null> {
    const [row] = await em.execute(
      `delete from early_settlements where participant_id = ? and tenant = ? returning settlement`,
      [participantId, tenant],
    );
    return row ? reviveSettlement(row.settlement) : null;
  }

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

  async tenant(em: EntityManager, code: string): Promise<TenantFacts | null> {
    const [row] = await em.execute(
      `select code, legal_name, name_ar, vat_number, timezone, currency, vat_rate::text as vat_rate
       from known_tenants where code = ?`,
      [code],
    );
    if (!row) return null;
    return {
      code: row.code,
      legalName: row.legal_name,
      nameAr: row.name_ar,
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
