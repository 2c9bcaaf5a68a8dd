// The SQL of drafts and what completes them: making a participant's draft with the facts it needs in one statement,
// finding the drafts a new fact completes, a session's newest time (kept by version) and the invoices that follow it,
// and settlements that arrived before their booking. Each statement is scoped by tenant.
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { SessionSnapshot } from '@agdar/contracts';
import { DEFAULT_POLICY, reviveSettlement, Settlement } from './invoice-rules';
import { InvoiceRow, IssuingFacts, NewDraft, SessionTimes, toInvoiceRow } from './invoice-rows';

const INVOICE_COLUMNS = `*, to_char(clinic_date, 'YYYY-MM-DD') as clinic_date_text`;

/**
 * Everything issuing an invoice needs, joined to a row `d` of (tenant, service_type_id, patient_id): the seller
 * (tenant), the service type's price and names, the patient billed, and whether the tenant zero-rates citizens.
 */
const FACTS_COLUMNS = `t.code as f_tenant, t.legal_name as f_legal_name, t.name_ar as f_tenant_name_ar, t.vat_number as f_vat_number,
  t.timezone as f_timezone, t.currency as f_currency, t.vat_rate::text as f_vat_rate, p.amount_minor as f_amount,
  s.code as f_service_type_code, s.name as f_service_type_name, s.name_ar as f_service_type_name_ar,
  pa.id as f_patient_id, pa.name as f_patient_name, pa.name_ar as f_patient_name_ar, pa.nationality as f_nationality,
  po.citizen_healthcare_exemption as f_citizen_exemption`;
const FACTS_JOINS = `left join known_tenants t on t.code = d.tenant
  left join prices p on p.tenant = d.tenant and p.service_type_id = d.service_type_id
  left join service_types s on s.tenant = d.tenant and s.id = d.service_type_id
  left join patients pa on pa.tenant = d.tenant and pa.id = d.patient_id
  left join policies po on po.tenant = d.tenant`;

function toIssuingFacts(row: Record<string, any>): IssuingFacts {
  return {
    tenant: row.f_tenant
      ? {
          code: row.f_tenant,
          legalName: row.f_legal_name,
          nameAr: row.f_tenant_name_ar,
          vatNumber: row.f_vat_number,
          timezone: row.f_timezone,
          currency: row.f_currency,
          vatRate: row.f_vat_rate,
        }
      : null,
    price:
      row.f_amount !== null
        ? {
            amount: Number(row.f_amount),
            serviceTypeCode: row.f_service_type_code,
            serviceTypeName: row.f_service_type_name,
            serviceTypeNameAr: row.f_service_type_name_ar,
          }
        : null,
    patient: row.f_patient_id
      ? {
          id: row.f_patient_id,
          name: row.f_patient_name,
          nameAr: row.f_patient_name_ar,
          nationality: row.f_nationality,
        }
      : null,
    citizenHealthcareExemption: row.f_citizen_exemption ?? DEFAULT_POLICY.citizenHealthcareExemption,
  };
}

@Injectable()
export class DraftsRepository {
  /**
   * Serialises, per tenant, the making of drafts with the learning of the facts that complete them (a price, a patient,
   * the tenant). Without it a booking and its patient's registration, applied at once, could each miss the other: the
   * draft would not see the patient, the patient's handler would not see the draft, and the invoice would wait forever.
   * Taken by a booking before it reads the facts, and by a fact's handler after it wrote the fact.
   */
  async lockDraftsOfTenant(em: EntityManager, tenant: string): Promise<void> {
    await em.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`billing-drafts:${tenant}`]);
  }
  /**
   * A participant's draft and what issuing it needs, in one statement; null when the participant already has an
   * invoice (a redelivered booking).
   */
  async insertDraft(em: EntityManager, draft: NewDraft): Promise<{ draft: InvoiceRow; facts: IssuingFacts } | null> {
    const rows = await em.execute(
      `with d as (
         insert into invoices (id, tenant, participant_id, patient_id, session_id, session_number, appointment_number,
           service_type_id, timezone, starts_at, clinic_date, clinic_time, status, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'DRAFT', now(), now())
         on conflict (participant_id) do nothing returning *
       )
       select d.*, to_char(d.clinic_date, 'YYYY-MM-DD') as clinic_date_text, ${FACTS_COLUMNS} from d ${FACTS_JOINS}`,
      [
        draft.id,
        draft.tenant,
        draft.participantId,
        draft.patientId,
        draft.sessionId,
        draft.sessionNumber,
        draft.appointmentNumber,
        draft.serviceTypeId,
        draft.timezone,
        draft.startsAt,
        draft.clinicDate,
        draft.clinicTime,
      ],
    );
    return rows.length ? { draft: toInvoiceRow(rows[0]), facts: toIssuingFacts(rows[0]) } : null;
  }
  /** What issuing this draft needs, as billing knows it now. */
  async factsForIssuing(em: EntityManager, draft: InvoiceRow): Promise<IssuingFacts> {
    const [row] = await em.execute(
      `select ${FACTS_COLUMNS} from (select ?::text as tenant, ?::uuid as service_type_id, ?::uuid as patient_id) d
       ${FACTS_JOINS}`,
      [draft.tenant, draft.serviceTypeId, draft.patientId],
    );
    return toIssuingFacts(row);
  }
  /** The tenant's drafts (of one service type or patient), locked, oldest booking first. */
  async lockDrafts(
    em: EntityManager,
    tenant: string,
    of: { serviceTypeId?: string; patientId?: string } = {},
  ): Promise<InvoiceRow[]> {
    const filters = ['tenant = ?', `status = 'DRAFT'`];
    const params: unknown[] = [tenant];
    for (const [column, value] of [
      ['service_type_id', of.serviceTypeId],
      ['patient_id', of.patientId],
    ] as const) {
      if (!value) continue;
      filters.push(`${column} = ?`);
      params.push(value);
    }
    const rows = await em.execute(
      `select ${INVOICE_COLUMNS} from invoices where ${filters.join(' and ')} order by created_at, id for update`,
      params,
    );
    return rows.map(toInvoiceRow);
  }
  /**
   * The invoices of a session take its new time: the appointment a line names moves with its session, issued or not
   * (the number, amounts, issue time and hash, which the chain covers, never change after issue).
   */
  async moveInvoicesOfSession(
    em: EntityManager,
    tenant: string,
    sessionId: string,
    at: Pick<InvoiceRow, 'startsAt' | 'clinicDate' | 'clinicTime' | 'timezone'>,
  ): Promise<void> {
    await em.execute(
      `update invoices set starts_at = ?, clinic_date = ?, clinic_time = ?, timezone = ?, updated_at = now()
       where tenant = ? and session_id = ?`,
      [at.startsAt, at.clinicDate, at.clinicTime, at.timezone, tenant, sessionId],
    );
  }
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
}
