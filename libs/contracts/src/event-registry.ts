// Every event type the platform publishes, by name: how the Kafka transport finds the definition (topic, schema) of
// an @EventPattern, and what the AsyncAPI document lists.
import { EventDefinition } from './event-definition';
import { PatientRegistered, PatientUpdated } from './events/patients';
import { TenantCreated } from './events/tenants';
import { ServiceTypeDefined } from './events/directory';
import { InvoiceStatusChanged } from './events/invoices';
import { ConfirmationSent } from './events/deliveries';
import { ConsentRecorded, FinanceCleared } from './events/clearances';
import {
  ParticipantBooked,
  ParticipantCancelled,
  ParticipantStatusChanged,
  ParticipantUpdated,
  SessionCancelled,
  SessionCompleted,
  SessionFull,
  SessionRescheduled,
  SessionScheduled,
  SessionStarted,
  SessionUpdated,
  SpotOpened,
} from './events/sessions';

export const EVENT_DEFINITIONS: readonly EventDefinition[] = [
  PatientRegistered,
  PatientUpdated,
  TenantCreated,
  ConsentRecorded,
  FinanceCleared,
  ServiceTypeDefined,
  InvoiceStatusChanged,
  ConfirmationSent,
  SessionScheduled,
  SessionRescheduled,
  SessionUpdated,
  SessionStarted,
  SessionCompleted,
  SessionCancelled,
  SessionFull,
  SpotOpened,
  ParticipantBooked,
  ParticipantStatusChanged,
  ParticipantCancelled,
  ParticipantUpdated,
] as EventDefinition[];

const byType: ReadonlyMap<string, EventDefinition> = new Map(EVENT_DEFINITIONS.map((d) => [d.type, d]));

/** The definition of an event type; throws for a type nobody declared (a typo in an @EventPattern). */
export function eventDefinitionOf(type: string): EventDefinition {
  const definition = byType.get(type);
  if (!definition) throw new Error(`No event type ${type} is declared in libs/contracts`);
  return definition;
}
