// The billing service: one invoice per participant, gapless document numbers, payments, credit notes and refunds.
// It learns everything it bills with from events and tells scheduling, by FinanceCleared, who may check in.
import { Module } from '@nestjs/common';
import { messagingEntities } from '@agdar/messaging';
import { runService, tenantTable } from '@agdar/service-kit';
import { loadBillingConfig } from './config';
import { billingMigrations } from './migrations';
import { FactsConsumer } from './facts/facts.consumer';
import { FactsRepository } from './facts/facts.repository';
import { InvoicesConsumer } from './invoices/invoices.consumer';
import { InvoicesController } from './invoices/invoices.controller';
import { DocumentsRepository } from './invoices/documents.repository';
import { DraftsRepository } from './invoices/drafts.repository';
import { InvoicesRepository } from './invoices/invoices.repository';
import { InvoicesService } from './invoices/invoices.service';
import { IssuingService } from './invoices/issuing.service';
import { Ledger } from './invoices/ledger';
import { PaymentsService } from './invoices/payments.service';
import { SettlingService } from './invoices/settling.service';
import { PricesController } from './prices/prices.controller';
import { PricesRepository } from './prices/prices.repository';
import { PricesService } from './prices/prices.service';

@Module({
  controllers: [InvoicesController, PricesController, FactsConsumer, InvoicesConsumer],
  providers: [
    IssuingService,
    SettlingService,
    PaymentsService,
    InvoicesService,
    Ledger,
    InvoicesRepository,
    DraftsRepository,
    DocumentsRepository,
    FactsRepository,
    PricesService,
    PricesRepository,
  ],
})
class BillingModule {}

export async function startBillingService(source: NodeJS.ProcessEnv) {
  const config = loadBillingConfig(source);
  return runService({
    name: 'billing',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
    config,
    module: BillingModule,
    database: {
      url: config.DATABASE_URL,
      migrate: config.DATABASE_MIGRATE,
      entities: [...messagingEntities],
      migrations: billingMigrations,
    },
    tenants: ({ orm }) => tenantTable(orm!, 'known_tenants'),
    kafka: {
      brokers: config.KAFKA_BROKERS,
      consumerGroup: 'billing',
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    },
  });
}
