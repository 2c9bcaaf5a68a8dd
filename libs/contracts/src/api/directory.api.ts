import { z } from 'zod';
import { STAFF } from '../roles';
import { defineEndpoint } from '../http/endpoint';
import { pageSchema } from '../http/paging';
import { namedResponse } from '../http/schema-names';
import {
  clinicSchema,
  createClinicSchema,
  createProviderSchema,
  createRoomSchema,
  createServiceTypeSchema,
  directoryQuerySchema,
  providerSchema,
  roomSchema,
  serviceTypeSchema,
} from '../http/directory';
import { ProblemCode } from '../http/problem-codes';

/** Create and list of one kind of reference data: admins create, all staff read. */
function referenceData<C extends z.ZodType, B extends z.ZodType>(kind: {
  name: string;
  plural: string;
  path: string;
  create: C;
  body: B;
  summary: string;
  problems: ProblemCode[];
}) {
  const create = defineEndpoint({
    operationId: `create${kind.name}`,
    service: 'scheduling',
    method: 'POST',
    path: kind.path,
    roles: ['admin'],
    tag: 'reference data',
    summary: kind.summary,
    body: kind.create,
    response: kind.body,
    status: 201,
    problems: ['TENANT_NOT_REGISTERED', ...kind.problems],
  });
  const list = defineEndpoint({
    operationId: `list${kind.plural}`,
    service: 'scheduling',
    method: 'GET',
    path: kind.path,
    roles: STAFF,
    tag: 'reference data',
    summary: `List ${kind.plural.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`,
    query: directoryQuerySchema,
    response: namedResponse(`${kind.name}Page`, pageSchema(kind.body)),
  });
  return [create, list] as const;
}

export const [createClinic, listClinics] = referenceData({
  name: 'Clinic',
  plural: 'Clinics',
  path: '/clinics',
  create: createClinicSchema,
  body: clinicSchema,
  summary: 'Create a clinic (with its IANA time zone)',
  problems: ['CLINIC_EXISTS'],
});
export const [createRoom, listRooms] = referenceData({
  name: 'Room',
  plural: 'Rooms',
  path: '/rooms',
  create: createRoomSchema,
  body: roomSchema,
  summary: 'Create a room in a clinic',
  problems: ['ROOM_EXISTS', 'NOT_FOUND'],
});
export const [createProvider, listProviders] = referenceData({
  name: 'Provider',
  plural: 'Providers',
  path: '/providers',
  create: createProviderSchema,
  body: providerSchema,
  summary: 'Create a provider (therapist)',
  problems: ['NOT_FOUND'],
});
export const [createServiceType, listServiceTypes] = referenceData({
  name: 'ServiceType',
  plural: 'ServiceTypes',
  path: '/service-types',
  create: createServiceTypeSchema,
  body: serviceTypeSchema,
  summary: 'Create a service type',
  problems: ['SERVICE_TYPE_EXISTS'],
});
