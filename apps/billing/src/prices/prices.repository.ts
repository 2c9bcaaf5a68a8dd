// The SQL of the price list and the fee policy, scoped by tenant.
import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Page, PricesQuery } from '@agdar/contracts';
import { pageOf, pageWindow } from '@agdar/service-kit';
import { DEFAULT_POLICY, Policy } from '../invoices/invoice-rules';
import { toPolicy } from '../invoices/invoice-rows';

export interface PriceRow {
  serviceTypeId: string;
  serviceTypeCode: string | null;
  serviceTypeName: string | null;
  serviceTypeNameAr: string | null;
  amount: number;
  currency: string;
  updatedAt: Date;
}

const PRICE_SELECT = `select p.service_type_id, p.amount_minor, p.currency, p.updated_at, s.code, s.name, s.name_ar
  from prices p left join service_types s on s.id = p.service_type_id`;

function toPriceRow(r: Record<string, any>): PriceRow {
  return {
    serviceTypeId: r.service_type_id,
    serviceTypeCode: r.code,
    serviceTypeName: r.name,
    serviceTypeNameAr: r.name_ar,
    amount: Number(r.amount_minor),
    currency: r.currency,
    updatedAt: new Date(r.updated_at),
  };
}

@Injectable()
export class PricesRepository {
  constructor(private readonly orm: MikroORM) {}

  async set(em: EntityManager, tenant: string, serviceTypeId: string, amount: number, currency: string, by: string) {
    await em.execute(
      `insert into prices (tenant, service_type_id, amount_minor, currency, updated_at, updated_by)
       values (?, ?, ?, ?, now(), ?)
       on conflict (tenant, service_type_id) do update
         set amount_minor = excluded.amount_minor, currency = excluded.currency, updated_at = now(),
             updated_by = excluded.updated_by`,
      [tenant, serviceTypeId, amount, currency, by],
    );
  }

  /** The currency the tenant bills in; null before TenantCreated reached billing. */
  async tenantCurrency(em: EntityManager, tenant: string): Promise<string | null> {
    const [row] = await em.execute<{ currency: string }[]>(`select currency from known_tenants where code = ?`, [
      tenant,
    ]);
    return row?.currency ?? null;
  }

  /** Whether billing has learnt of the tenant's service type (ServiceTypeDefined). */
  async knowsServiceType(em: EntityManager, tenant: string, id: string): Promise<boolean> {
    const rows = await em.execute(`select 1 from service_types where tenant = ? and id = ?`, [tenant, id]);
    return rows.length > 0;
  }

  async price(em: EntityManager, tenant: string, serviceTypeId: string): Promise<PriceRow | null> {
    const [row] = await em.execute(`${PRICE_SELECT} where p.tenant = ? and p.service_type_id = ?`, [
      tenant,
      serviceTypeId,
    ]);
    return row ? toPriceRow(row) : null;
  }

  async list(tenant: string, query: PricesQuery): Promise<Page<PriceRow>> {
    const em = this.orm.em.fork() as EntityManager;
    const [{ total }] = await em.execute(`select count(*)::int as total from prices where tenant = ?`, [tenant]);
    const { limit, offset } = pageWindow(query);
    const rows = await em.execute(
      `${PRICE_SELECT} where p.tenant = ? order by s.code nulls last, p.service_type_id limit ? offset ?`,
      [tenant, limit, offset],
    );
    return pageOf(rows.map(toPriceRow), total, query);
  }

  /** The tenant's policy, or the default one until it is set (updatedAt null). */
  async policy(em: EntityManager, tenant: string): Promise<Policy & { updatedAt: Date | null }> {
    const [row] = await em.execute(`select * from policies where tenant = ?`, [tenant]);
    if (!row) return { ...DEFAULT_POLICY, updatedAt: null };
    return { ...toPolicy(row), updatedAt: new Date(row.updated_at) };
  }

  async setPolicy(em: EntityManager, tenant: string, p: Policy, by: string): Promise<void> {
    await em.execute(
      `insert into policies (tenant, late_cancellation_window_hours, late_cancellation_fee_percent, no_show_fee_percent,
         citizen_healthcare_exemption, updated_at, updated_by)
       values (?, ?, ?, ?, ?, now(), ?)
       on conflict (tenant) do update set late_cancellation_window_hours = excluded.late_cancellation_window_hours,
         late_cancellation_fee_percent = excluded.late_cancellation_fee_percent,
         no_show_fee_percent = excluded.no_show_fee_percent,
         citizen_healthcare_exemption = excluded.citizen_healthcare_exemption,
         updated_at = now(), updated_by = excluded.updated_by`,
      [
        tenant,
        p.lateCancellationWindowHours,
        p.lateCancellationFeePercent,
        p.noShowFeePercent,
        p.citizenHealthcareExemption,
        by,
      ],
    );
  }
}
