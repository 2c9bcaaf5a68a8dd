// Scheduling's subscriptions: patient facts from the participant service, clearances from billing.
import { MikroORM } from '@mikro-orm/postgresql';
import { Kafka } from 'kafkajs';
import { ConsentRecorded, FinanceCleared, PatientRegistered, PatientUpdated } from '@agdar/contracts';
import { EventConsumer, MessagingLogger } from '@agdar/messaging';
import { recordConsent, recordFinanceCleared, recordPatientFacts } from './patients.projection';

export function patientFactsConsumer(kafka: Kafka, orm: MikroORM, logger: MessagingLogger): EventConsumer {
  return new EventConsumer(kafka, orm, logger, { groupId: 'scheduling.patients' })
    .on(PatientRegistered, (em, event) => recordPatientFacts(em, event.tenant, event.data))
    .on(PatientUpdated, (em, event) => recordPatientFacts(em, event.tenant, event.data))
    .on(ConsentRecorded, (em, event) => recordConsent(em, event))
    .on(FinanceCleared, (em, event) => recordFinanceCleared(em, event));
}
