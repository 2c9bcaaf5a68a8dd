// Every event type by name: what a consumer uses to validate a message it reads.
import { EventDefinition } from './event-definition';
import { PatientRegistered, PatientUpdated } from './events/patients';
import { TenantCreated } from './events/tenants';
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

const definitions: EventDefinition[] = [
  PatientRegistered,
  PatientUpdated,
  TenantCreated,
  ConsentRecorded,
  FinanceCleared,
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

export const eventRegistry: ReadonlyMap<string, EventDefinition> = new Map(definitions.map((d) => [d.type, d]));

export function registerEvents(...more: EventDefinition[]): void {
  for (const d of more) (eventRegistry as Map<string, EventDefinition>).set(d.type, d);
}
