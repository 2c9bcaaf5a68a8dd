// The price list and the fee policy. Setting a price issues the drafts that waited for it, in the same transaction.
import { Injectable } from '@nestjs/common';
import {
  BillingPolicy,
  BillingPolicyBody,
  formatAmount,
  isKnownCurrency,
  Page,
  parseAmount,
  PriceBody,
  PricesQuery,
  SetPrice,
} from '@agdar/contracts';
import { AuthUser, DomainError, fieldProblem, mapPage, WritePath } from '@agdar/service-kit';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { IssuingService } from '../invoices/issuing.service';
import { PriceRow, PricesRepository } from './prices.repository';

@Injectable()
export class PricesService {
  constructor(
    private readonly writes: WritePath,
    private readonly prices: PricesRepository,
    private readonly issuing: IssuingService,
    private readonly orm: MikroORM,
  ) {}

  async setPrice(user: AuthUser, serviceTypeId: string, input: SetPrice): Promise<PriceBody> {
    return this.writes.run(user, async (ctx) => {
      const currency = (await this.prices.tenantCurrency(ctx.em, user.tenant))!;
      if (!isKnownCurrency(input.currency)) {
        throw fieldProblem(
          'UNKNOWN_CURRENCY',
          'currency',
          'is not an ISO 4217 currency',
          `${input.currency} is not an ISO 4217 currency; give the price in ${currency}.`,
        );
      }
      if (input.currency !== currency) {
        throw fieldProblem(
          'CURRENCY_MISMATCH',
          'currency',
          `must be ${currency}`,
          `This tenant bills in ${currency}, not ${input.currency}; give the price in ${currency}.`,
        );
      }
      const parsed = parseAmount(input.amount, input.currency);
      if ('error' in parsed) {
        throw fieldProblem(
          'VALIDATION_FAILED',
          'amount',
          parsed.error,
          `The request is not valid: amount ${parsed.error}`,
        );
      }
      if (!(await this.prices.knowsServiceType(ctx.em, user.tenant, serviceTypeId))) throw notYetKnown(serviceTypeId);
      await this.prices.set(ctx.em, user.tenant, serviceTypeId, parsed.minor, input.currency, user.sub);
      await this.issuing.issueReady(ctx, { serviceTypeId });
      return toPriceBody((await this.prices.price(ctx.em, user.tenant, serviceTypeId))!);
    });
  }

  async listPrices(user: AuthUser, query: PricesQuery): Promise<Page<PriceBody>> {
    return mapPage(await this.prices.list(user.tenant, query), toPriceBody);
  }

  async policy(user: AuthUser): Promise<BillingPolicyBody> {
    return toPolicyBody(await this.prices.policy(this.orm.em.fork() as EntityManager, user.tenant));
  }

  async setPolicy(user: AuthUser, input: BillingPolicy): Promise<BillingPolicyBody> {
    return this.writes.run(user, async ({ em }) => {
      await this.prices.setPolicy(em, user.tenant, input, user.sub);
      return toPolicyBody(await this.prices.policy(em, user.tenant));
    });
  }
}

function toPriceBody(p: PriceRow): PriceBody {
  return {
    serviceTypeId: p.serviceTypeId,
    serviceTypeCode: p.serviceTypeCode,
    serviceTypeName: p.serviceTypeName,
    serviceTypeNameAr: p.serviceTypeNameAr,
    amount: formatAmount(p.amount, p.currency),
    currency: p.currency,
    updatedAt: p.updatedAt.toISOString(),
  };
}

function toPolicyBody(p: BillingPolicy & { updatedAt: Date | null }): BillingPolicyBody {
  return {
    lateCancellationWindowHours: p.lateCancellationWindowHours,
    lateCancellationFeePercent: p.lateCancellationFeePercent,
    noShowFeePercent: p.noShowFeePercent,
    citizenHealthcareExemption: p.citizenHealthcareExemption,
    updatedAt: p.updatedAt ? p.updatedAt.toISOString() : null,
  };
}

/**
 * A service type billing has not learnt of: just created (its ServiceTypeDefined is on its way, about a second), or
 * none of this tenant's. Either way nothing was written and the same request may succeed in a moment, so the answer
 * is 409 with Retry-After rather than a 404 that would contradict the 201 the caller has just seen.
 */
const notYetKnown = (serviceTypeId: string) =>
  new DomainError(
    'NOT_YET_KNOWN',
    `Billing has not learnt of service type ${serviceTypeId} yet (a type created a moment ago takes about a second ` +
      'to reach billing; one of another tenant never does); try again after the Retry-After seconds.',
    [{ field: 'serviceTypeId', message: 'is not known to billing yet' }],
    2,
  );
