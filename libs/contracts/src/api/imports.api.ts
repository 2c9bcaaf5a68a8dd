import { defineEndpoint } from '../http/endpoint';
import { importAppointmentsSchema, importResultSchema } from '../http/imports';

export const importAppointments = defineEndpoint({
  operationId: 'importAppointments',
  service: 'scheduling',
  method: 'POST',
  path: '/imports/appointments',
  roles: ['admin'],
  tag: 'imports',
  summary: "Import a batch of a clinic's legacy appointments as individual sessions (or check them: dryRun)",
  description:
    'Each row becomes one INDIVIDUAL session of capacity 1 whose participant keeps the appointment number, status and ' +
    'flags; keyed by tenant and appointment number, so a row imported before answers EXISTS and changes nothing. A ' +
    'row is written whole or refused with its reason. The numbers of our own format are reserved: the sequences ' +
    'continue past the highest imported number of each year. Used by `npm run import:appointments`.',
  body: importAppointmentsSchema,
  response: importResultSchema,
});
