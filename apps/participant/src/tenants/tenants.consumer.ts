// The participant service learns which tenants exist from scheduling's TenantCreated, so that it serves only those.
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventData, TenantCreated } from '@agdar/contracts';
import { EventContext } from '@agdar/service-kit';

@Controller()
export class TenantsConsumer {
  @EventPattern(TenantCreated.type)
  async created(@Payload() data: EventData<typeof TenantCreated>, @Ctx() ctx: EventContext) {
    await ctx.em.execute(`insert into known_tenants (code) values (?) on conflict do nothing`, [data.code]);
  }
}
