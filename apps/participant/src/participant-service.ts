// The participant service: owns patients (people), their contacts and consents.
import { Module } from '@nestjs/common';
import { messagingEntities } from '@agdar/messaging';
import { runService, tenantTable } from '@agdar/service-kit';
import { TenantsConsumer } from './tenants/tenants.consumer';
import { loadParticipantConfig } from './config';
import { participantMigrations } from './migrations';
import { Patient } from './patients/patient.entity';
import { PatientsModule } from './patients/patients.module';
import { Consent } from './consents/consent.entity';
import { ConsentsController } from './consents/consents.controller';
import { ConsentsService } from './consents/consents.service';

@Module({ imports: [PatientsModule], controllers: [ConsentsController, TenantsConsumer], providers: [ConsentsService] })
class ParticipantModule {}

export async function startParticipantService(source: NodeJS.ProcessEnv) {
  const config = loadParticipantConfig(source);
  return runService({
    name: 'participant',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
    config,
    module: ParticipantModule,
    database: {
      url: config.DATABASE_URL,
      migrate: config.DATABASE_MIGRATE,
      entities: [Patient, Consent, ...messagingEntities],
      migrations: participantMigrations,
      constraints: {
        patients_external_id: {
          code: 'PATIENT_EXISTS',
          detail: 'A patient with this external id is already registered; find them with ?externalId=.',
        },
      },
    },
    tenants: ({ orm }) => tenantTable(orm!, 'known_tenants'),
    kafka: {
      brokers: config.KAFKA_BROKERS,
      consumerGroup: 'participant.tenants',
      sessionTimeoutMs: config.KAFKA_SESSION_TIMEOUT_MS,
    },
  });
}
