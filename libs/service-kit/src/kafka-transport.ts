// Kafka handlers the Nest way: a consumer class declares `@EventPattern(PatientRegistered.type)` handlers like HTTP
// routes, and this transport delivers to them through our EventConsumer, which keeps every delivery guarantee: the
// handler runs in a database transaction with its processed-message row (a redelivery is skipped), the offset is
// committed after that commit, failures are retried with backoff and then dead-lettered, and a database that is away
// is waited for. Nest's own Kafka transport records no processed messages and retries a poison message forever.
import { ArgumentsHost, Catch, RpcExceptionFilter } from '@nestjs/common';
import { BaseRpcContext, CustomTransportStrategy, Server } from '@nestjs/microservices';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Kafka } from 'kafkajs';
import { lastValueFrom, Observable, throwError } from 'rxjs';
import { Envelope, eventDefinitionOf } from '@agdar/contracts';
import { EventConsumer, EventConsumerOptions, MessagingLogger } from '@agdar/messaging';

/** What a handler gets besides the event's data: the transaction to write in and the whole envelope. */
export class EventContext extends BaseRpcContext<[EntityManager, Envelope]> {
  /** The consumer's transaction: the handler's writes commit together with the processed-message row. */
  get em(): EntityManager {
    return this.args[0];
  }

  get event(): Envelope {
    return this.args[1];
  }
}

/** Hands a handler's error back to the transport unchanged (Nest's default filter would replace it with a string). */
@Catch()
export class RethrowRpcErrors implements RpcExceptionFilter {
  catch(exception: unknown, _host: ArgumentsHost): Observable<never> {
    return throwError(() => exception);
  }
}

export class KafkaEventTransport extends Server implements CustomTransportStrategy {
  private eventConsumer: EventConsumer | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly orm: MikroORM,
    private readonly messagingLogger: MessagingLogger,
    private readonly options: EventConsumerOptions,
  ) {
    super();
  }

  /** The consumer behind the handlers; the service runner starts and stops it with the rest of the service. */
  get consumer(): EventConsumer {
    if (!this.eventConsumer) throw new Error('the Kafka transport has not been started (app.startAllMicroservices)');
    return this.eventConsumer;
  }

  listen(callback: () => void): void {
    const consumer = new EventConsumer(this.kafka, this.orm, this.messagingLogger, this.options);
    for (const [pattern, handler] of this.messageHandlers) {
      consumer.on(eventDefinitionOf(pattern), async (em, event) => {
        const result = await handler(event.data, new EventContext([em, event]));
        await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
      });
    }
    this.eventConsumer = consumer;
    callback();
  }

  /** The consumer is stopped by the service runner, after the HTTP server and before the database. */
  close(): void {}

  on(): never {
    throw new Error('KafkaEventTransport has no events to listen to');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }
}
