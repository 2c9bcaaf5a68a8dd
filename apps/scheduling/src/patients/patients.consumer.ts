// Keeps the local patient projection from the participant service's facts.
import { MikroORM } from '@mikro-orm/postgresql';
import { Kafka } from 'kafkajs';
import { PatientRegistered } from '@agdar/contracts';
import { EventConsumer, MessagingLogger } from '@agdar/messaging';
import { recordPatientRegistered } from './patients.projection';

export function patientFactsConsumer(kafka: Kafka, orm: MikroORM, logger: MessagingLogger): EventConsumer {
  return new EventConsumer(kafka, orm, logger, { groupId: 'scheduling.patients' }).on(PatientRegistered, (em, event) =>
    recordPatientRegistered(em, event.tenant, event.data),
  );
}
