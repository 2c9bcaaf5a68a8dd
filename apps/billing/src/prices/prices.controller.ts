import { Controller } from '@nestjs/common';
import { BillingApi, EndpointInput } from '@agdar/contracts';
import { AuthUser, CurrentUser, Implements, Input } from '@agdar/service-kit';
import { PricesService } from './prices.service';

type In<E extends keyof typeof BillingApi> = EndpointInput<(typeof BillingApi)[E]>;

@Controller()
export class PricesController {
  constructor(private readonly prices: PricesService) {}

  @Implements(BillingApi.setPrice)
  setPrice(@CurrentUser() user: AuthUser, @Input() { params, body }: In<'setPrice'>) {
    return this.prices.setPrice(user, params.serviceTypeId, body);
  }

  @Implements(BillingApi.listPrices)
  listPrices(@CurrentUser() user: AuthUser, @Input() { query }: In<'listPrices'>) {
    return this.prices.listPrices(user, query);
  }

  @Implements(BillingApi.getBillingPolicy)
  policy(@CurrentUser() user: AuthUser) {
    return this.prices.policy(user);
  }

  @Implements(BillingApi.setBillingPolicy)
  setPolicy(@CurrentUser() user: AuthUser, @Input() { body }: In<'setBillingPolicy'>) {
    return this.prices.setPolicy(user, body);
  }
}
