// The notification service: each participant's confirmation, reminders and changes, by email and SMS, exactly once;
// notes to the clinic's staff. It learns everything it writes from events, keeps the delivery log, and tells
// scheduling (ConfirmationSent) when a confirmation was accepted.
import { Module } from '@nestjs/common';
import { messagingEntities } from '@agdar/messaging';
import { runService, SERVICE_CONFIG, tenantTable, tokenVerifierFor } from '@agdar/service-kit';
import { NotificationConfig, loadNotificationConfig, sendTimeoutMs } from './config';
import { notificationMigrations } from './migrations';
import { EmailChannel } from './channels/email';
import { TaqnyatSms } from './channels/sms';
import { FactsRepository } from './facts/facts.repository';
import { SeatsRepository } from './facts/seats.repository';
import { DeliveriesController } from './messages/deliveries.controller';
import { DeliveriesRepository } from './messages/deliveries.repository';
import { SendingRepository } from './messages/sending.repository';
import { DeliveryService, SMS_PROVIDER } from './messages/delivery.service';
import { FactsConsumer } from './messages/facts.consumer';
import { MessagesConsumer } from './messages/messages.consumer';
import { MessagesService } from './messages/messages.service';
import { ReminderSync } from './messages/reminder-sync';
import { ReminderWorker } from './messages/reminder-worker';
import { SenderWorker } from './messages/sender.worker';
import { mountQueueBoard, QUEUE_BOARD_SIGN_IN } from './reminders/queue-board';
import { ReminderQueue } from './reminders/reminder-queue';
import { RemindersRepository } from './reminders/reminders.repository';
import { SettingsController } from './settings/settings.controller';
import { SettingsRepository } from './settings/settings.repository';
import { SettingsService } from './settings/settings.service';

@Module({
  controllers: [DeliveriesController, SettingsController, FactsConsumer, MessagesConsumer],
  providers: [
    MessagesService,
    DeliveryService,
    DeliveriesRepository,
    SendingRepository,
    FactsRepository,
    SeatsRepository,
    RemindersRepository,
    SettingsRepository,
    SettingsService,
    SenderWorker,
    ReminderQueue,
    ReminderWorker,
    ReminderSync,
    {
      provide: EmailChannel,
      inject: [SERVICE_CONFIG],
      useFactory: (c: NotificationConfig) =>
        new EmailChannel(
          c.SMTP_URL,
          { name: c.MAIL_FROM_NAME, address: c.MAIL_FROM_ADDRESS },
          { maxConnections: c.SMTP_MAX_CONNECTIONS, timeoutMs: sendTimeoutMs(c) },
        ),
    },
    {
      provide: SMS_PROVIDER,
      inject: [SERVICE_CONFIG],
      useFactory: (c: NotificationConfig) =>
        c.SMS_PROVIDER === 'taqnyat'
          ? new TaqnyatSms({
              url: c.TAQNYAT_URL,
              token: c.TAQNYAT_TOKEN!,
              sender: c.SMS_SENDER!,
              timeoutMs: sendTimeoutMs(c),
            })
          : null,
    },
  ],
})
class NotificationModule {}

export async function startNotificationService(source: NodeJS.ProcessEnv) {
  const config = loadNotificationConfig(source);
  return runService({
    name: 'notification',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
    config,
    module: NotificationModule,
    formPaths: [QUEUE_BOARD_SIGN_IN],
    database: {
      url: config.DATABASE_URL,
      migrate: config.DATABASE_MIGRATE,
      entities: [...messagingEntities],
      migrations: notificationMigrations,
    },
    tenants: ({ orm }) => tenantTable(orm!, 'known_tenants'),
    kafka: {
      brokers: config.KAFKA_BROKERS,
      consumerGroup: 'notification',
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    },
    configureApp: (app) => mountQueueBoard(app, tokenVerifierFor(config)),
  });
}
