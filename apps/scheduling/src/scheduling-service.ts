// The scheduling service: tenants' clinics and reference data, sessions and their participants.
import { Module } from '@nestjs/common';
import { messagingEntities } from '@agdar/messaging';
import { runService, tenantTable } from '@agdar/service-kit';
import { loadSchedulingConfig } from './config';
import { schedulingConstraints } from './constraints';
import { schedulingMigrations } from './migrations';
import { PatientFactsConsumer } from './patients/patients.consumer';
import { Tenant } from './tenants/tenant.entity';
import { TenantsModule } from './tenants/tenants.module';
import { directoryEntities } from './directory/directory.entities';
import { DirectoryModule } from './directory/directory.module';
import { AuditEntry } from './sessions/audit-entry.entity';
import { ParticipantFactsConsumer } from './sessions/participant-facts.consumer';
import { Participant } from './sessions/participant.entity';
import { Session } from './sessions/session.entity';
import { SessionsModule } from './sessions/sessions.module';
import { ImportsModule } from './imports/imports.module';

@Module({
  imports: [TenantsModule, DirectoryModule, SessionsModule, ImportsModule],
  controllers: [PatientFactsConsumer, ParticipantFactsConsumer],
})
class SchedulingModule {}

export async function startSchedulingService(source: NodeJS.ProcessEnv) {
  const config = loadSchedulingConfig(source);
  return runService({
    name: 'scheduling',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
    config,
    module: SchedulingModule,
    database: {
      url: config.DATABASE_URL,
      migrate: config.DATABASE_MIGRATE,
      entities: [Tenant, ...directoryEntities, Session, Participant, AuditEntry, ...messagingEntities],
      migrations: schedulingMigrations,
      constraints: schedulingConstraints,
    },
    tenants: ({ orm }) => tenantTable(orm!, 'tenants'),
    kafka: {
      brokers: config.KAFKA_BROKERS,
      consumerGroup: 'scheduling.patients',
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    },
  });
}
