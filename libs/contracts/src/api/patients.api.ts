import { FRONT_DESK } from '../roles';
import { defineEndpoint } from '../http/endpoint';
import { pageSchema } from '../http/paging';
import { namedResponse } from '../http/schema-names';
import {
  consentSchema,
  patientQuerySchema,
  patientSchema,
  recordConsentSchema,
  registerPatientSchema,
  updatePatientSchema,
} from '../http/patients';
import { idParams } from './params';

export const registerPatient = defineEndpoint({
  operationId: 'registerPatient',
  service: 'participant',
  method: 'POST',
  path: '/patients',
  roles: FRONT_DESK,
  tag: 'patients',
  summary: 'Register a patient',
  description:
    'Publishes PatientRegistered; scheduling can book the patient once it has learnt of them (about a second).',
  body: registerPatientSchema,
  response: patientSchema,
  status: 201,
  location: '/patients/{id}',
});

export const searchPatients = defineEndpoint({
  operationId: 'searchPatients',
  service: 'participant',
  method: 'GET',
  path: '/patients',
  roles: FRONT_DESK,
  tag: 'patients',
  summary: 'Search patients by name (either script), email or phone',
  query: patientQuerySchema,
  response: namedResponse('PatientPage', pageSchema(patientSchema)),
});

export const getPatient = defineEndpoint({
  operationId: 'getPatient',
  service: 'participant',
  method: 'GET',
  path: '/patients/{id}',
  roles: FRONT_DESK,
  tag: 'patients',
  summary: 'A patient',
  params: idParams,
  response: patientSchema,
});

export const updatePatient = defineEndpoint({
  operationId: 'updatePatient',
  service: 'participant',
  method: 'PATCH',
  path: '/patients/{id}',
  roles: FRONT_DESK,
  tag: 'patients',
  summary: 'Change a patient: names, birth date, contacts, language, channels, guardian',
  description:
    'null clears an optional field; publishes PatientUpdated. A change that changes nothing publishes nothing.',
  params: idParams,
  body: updatePatientSchema,
  response: patientSchema,
});

export const recordConsent = defineEndpoint({
  operationId: 'recordConsent',
  service: 'participant',
  method: 'POST',
  path: '/patients/{id}/consents',
  roles: FRONT_DESK,
  tag: 'patients',
  summary: 'Record a consent',
  description:
    'Publishes ConsentRecorded. A TREATMENT consent makes the patient consent-verified for check-in; scheduling ' +
    'learns of it asynchronously, so `consentVerified` on their participants turns true about a second later.',
  params: idParams,
  body: recordConsentSchema,
  response: consentSchema,
  status: 201,
});
