import { FRONT_DESK, STAFF } from '../roles';
import { defineEndpoint } from '../http/endpoint';
import { pageSchema } from '../http/paging';
import { namedResponse } from '../http/schema-names';
import {
  addPatientSchema,
  CLINICAL_NOTES,
  auditEntrySchema,
  availableSessionsQuerySchema,
  historyQuerySchema,
  createSessionSchema,
  participantSchema,
  removeParticipantQuerySchema,
  sessionQuerySchema,
  sessionSchema,
  updateParticipantSchema,
  updateSessionSchema,
} from '../http/sessions';
import { idParams, participantParams } from './params';

const sessionPage = namedResponse('SessionPage', pageSchema(sessionSchema));
const WORKS_SESSIONS = ['admin', 'reception', 'provider'] as const;

export const createSession = defineEndpoint({
  operationId: 'createSession',
  service: 'scheduling',
  method: 'POST',
  path: '/sessions',
  roles: FRONT_DESK,
  tag: 'sessions',
  summary: 'Create a session (INDIVIDUAL: capacity 1; GROUP: 1-20, created empty)',
  description: 'Publishes SessionScheduled. Overlapping sessions of the provider or the room are refused.',
  body: createSessionSchema,
  response: sessionSchema,
  readableBy: CLINICAL_NOTES,
  status: 201,
  location: '/sessions/{id}',
  problems: ['NOT_FOUND', 'ROOM_NOT_IN_CLINIC', 'REFERENCE_INACTIVE', 'PROVIDER_CONFLICT', 'ROOM_CONFLICT'],
});

export const listSessions = defineEndpoint({
  operationId: 'listSessions',
  service: 'scheduling',
  method: 'GET',
  path: '/sessions',
  roles: STAFF,
  tag: 'sessions',
  summary: 'List sessions by type, status, clinic, provider and clinic-local date range',
  query: sessionQuerySchema,
  response: sessionPage,
  readableBy: CLINICAL_NOTES,
});

export const availableSessions = defineEndpoint({
  operationId: 'availableSessions',
  service: 'scheduling',
  method: 'GET',
  path: '/sessions/available',
  roles: STAFF,
  tag: 'sessions',
  summary: 'Group sessions of a clinic that have not started and have free spots',
  query: availableSessionsQuerySchema,
  response: sessionPage,
  readableBy: CLINICAL_NOTES,
});

export const getSession = defineEndpoint({
  operationId: 'getSession',
  service: 'scheduling',
  method: 'GET',
  path: '/sessions/{id}',
  roles: STAFF,
  tag: 'sessions',
  summary: 'A session with its participants',
  params: idParams,
  response: sessionSchema,
  readableBy: CLINICAL_NOTES,
});

export const updateSession = defineEndpoint({
  operationId: 'updateSession',
  service: 'scheduling',
  method: 'PATCH',
  path: '/sessions/{id}',
  roles: WORKS_SESSIONS,
  tag: 'sessions',
  summary: 'Edit notes, change capacity, reschedule, start, complete or cancel (with reason) a session',
  description:
    'Publishes SessionUpdated, SessionRescheduled, SessionStarted, SessionCompleted or SessionCancelled (and the ' +
    "participants' changes that follow). A change that changes nothing records and publishes nothing.",
  params: idParams,
  body: updateSessionSchema,
  response: sessionSchema,
  readableBy: CLINICAL_NOTES,
  problems: [
    'INVALID_TRANSITION',
    'TOO_EARLY',
    'INVALID_CAPACITY',
    'CAPACITY_BELOW_ACTIVE',
    'SESSION_CLOSED',
    'SESSION_NOT_OPEN',
    'ROOM_NOT_IN_CLINIC',
    'REFERENCE_INACTIVE',
    'PROVIDER_CONFLICT',
    'ROOM_CONFLICT',
    'PATIENT_CONFLICT',
  ],
});

export const sessionHistory = defineEndpoint({
  operationId: 'sessionHistory',
  service: 'scheduling',
  method: 'GET',
  path: '/sessions/{id}/history',
  roles: ['admin'],
  tag: 'sessions',
  summary: 'Audit trail of a session and its participants, oldest first',
  params: idParams,
  query: historyQuerySchema,
  response: namedResponse('AuditEntryPage', pageSchema(auditEntrySchema)),
});

export const addPatient = defineEndpoint({
  operationId: 'addPatient',
  service: 'scheduling',
  method: 'POST',
  path: '/sessions/{id}/add-patient',
  roles: FRONT_DESK,
  tag: 'sessions',
  summary: 'Add a patient to a session, with an appointment number of their own',
  description: 'Publishes ParticipantBooked, and SessionFull when this booking takes the last spot.',
  params: idParams,
  body: addPatientSchema,
  response: participantSchema,
  readableBy: CLINICAL_NOTES,
  status: 201,
  problems: ['SESSION_FULL', 'ALREADY_ENROLLED', 'PATIENT_CONFLICT', 'SESSION_NOT_OPEN', 'SESSION_ALREADY_STARTED'],
});

export const updateParticipant = defineEndpoint({
  operationId: 'updateParticipant',
  service: 'scheduling',
  method: 'PATCH',
  path: '/sessions/{id}/participants/{pid}',
  roles: WORKS_SESSIONS,
  tag: 'sessions',
  summary: 'Change a participant: status, no-show reason and notes, individual notes',
  description: 'Check-in (ARRIVED) needs financeCleared and consentVerified; the problem names what is missing.',
  params: participantParams,
  body: updateParticipantSchema,
  response: participantSchema,
  readableBy: CLINICAL_NOTES,
  problems: ['INVALID_TRANSITION', 'CHECK_IN_BLOCKED', 'SESSION_CLOSED', 'TOO_EARLY'],
});

export const removeParticipant = defineEndpoint({
  operationId: 'removeParticipant',
  service: 'scheduling',
  method: 'DELETE',
  path: '/sessions/{id}/participants/{pid}',
  roles: FRONT_DESK,
  tag: 'sessions',
  summary: 'Remove a participant (status CANCELLED, reason kept; frees the spot)',
  params: participantParams,
  query: removeParticipantQuerySchema,
  response: participantSchema,
  readableBy: CLINICAL_NOTES,
  problems: ['INVALID_TRANSITION', 'SESSION_CLOSED'],
});
