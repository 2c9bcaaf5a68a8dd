// An @EventPattern handler's error reaches the idempotent consumer as it was thrown (its class, its code), so that a
// database that is away is told from a poison message; Nest's default filter would have replaced it with a string.
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { MikroORM } from '@mikro-orm/postgresql';
import { lastValueFrom } from 'rxjs';
import { Envelope, PatientRegistered } from '@agdar/contracts';
import { createKafka, isDatabaseUnavailable } from '@agdar/messaging';
import { connectTransport, EventContext, KafkaEventTransport } from '../src';

const databaseAway = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });

@Controller()
class FailingConsumer {
  @EventPattern(PatientRegistered.type)
  registered(@Payload() _data: unknown, @Ctx() ctx: EventContext) {
    if (ctx.event.id === 'away') throw databaseAway;
    return Promise.reject(new TypeError('a handler bug'));
  }
}

@Module({ controllers: [FailingConsumer] })
class FailingModule {}

describe('the Kafka transport', () => {
  it('hands a handler error to the consumer unchanged', async () => {
    const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
    const app = await NestFactory.create(FailingModule, { logger: false });
    const transport = new KafkaEventTransport(
      createKafka({ brokers: ['127.0.0.1:1'], clientId: 't' }, quiet),
      {} as MikroORM,
      quiet,
      {
        groupId: 'transport-test',
      },
    );
    try {
      await connectTransport(app, transport);
      const handler = transport.getHandlerByPattern(PatientRegistered.type)!;
      const deliver = async (id: string) =>
        lastValueFrom(
          transport.transformToObservable(await handler({}, new EventContext([null as never, { id } as Envelope]))),
        );
      const away = await deliver('away').catch((e: unknown) => e);
      expect(away).toBe(databaseAway);
      expect(isDatabaseUnavailable(away)).toBe(true);
      const bug = await deliver('bug').catch((e: unknown) => e);
      expect(bug).toBeInstanceOf(TypeError);
      expect(isDatabaseUnavailable(bug)).toBe(false);
    } finally {
      await app.close();
    }
  });
});
