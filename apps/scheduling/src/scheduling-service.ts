// The scheduling service: tenants' clinics and reference data, sessions and their participants.
import { Module } from '@nestjs/common';
import { messagingEntities } from '@agdar/messaging';
import { runService } from '@agdar/service-kit';
import { loadSchedulingConfig } from './config';
import { schedulingConstraints } from './constraints';
import { schedulingMigrations } from './migrations';
import { PatientProjection } from './patients/patient-projection.entity';
import { patientFactsConsumer } from './patients/patients.consumer';
import { Tenant } from './tenants/tenant.entity';
import { TenantsModule } from './tenants/tenants.module';

@Module({ imports: [TenantsModule] })
class SchedulingModule {}

export async function startSchedulingService(source: NodeJS.ProcessEnv) {
  const config = loadSchedulingConfig(source);
  return runService({
    name: 'scheduling',
    port: config.PORT,
    logLevel: config.LOG_LEVEL,
    jwtSecret: config.JWT_SECRET,
    config,
    module: SchedulingModule,
    database: {
      url: config.DATABASE_URL,
      migrate: config.DATABASE_MIGRATE,
      entities: [Tenant, PatientProjection, ...messagingEntities],
      migrations: schedulingMigrations,
      constraints: schedulingConstraints,
    },
    kafka: {
      brokers: config.KAFKA_BROKERS,
      consumers: ({ kafka, orm, logger }) => [patientFactsConsumer(kafka!, orm!, logger)],
    },
  });
}
