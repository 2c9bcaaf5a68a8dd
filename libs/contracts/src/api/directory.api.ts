import { z } from 'zod';
import { STAFF } from '../roles';
import { defineEndpoint } from '../http/endpoint';
import { pageSchema } from '../http/paging';
import { namedResponse } from '../http/schema-names';
import {
  byClinicQuerySchema,
  clinicSchema,
  createClinicSchema,
  createProviderSchema,
  createRoomSchema,
  createServiceTypeSchema,
  directoryQuerySchema,
  providerSchema,
  roomSchema,
  serviceTypeSchema,
  updateClinicSchema,
  updateProviderSchema,
  updateRoomSchema,
  updateServiceTypeSchema,
} from '../http/directory';
import { ProblemCode } from '../http/problem-codes';
import { idParams } from './params';

/** The endpoints of one kind of reference data: admins create and change, all staff read. */
function referenceData<
  C extends z.ZodType,
  U extends z.ZodType,
  B extends z.ZodType,
  Q extends z.ZodType<Record<string, unknown>>,
>(kind: {
  name: string;
  plural: string;
  path: string;
  create: C;
  update: U;
  body: B;
  query: Q;
  summary: string;
  problems: ProblemCode[];
}) {
  const words = kind.name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const common = { service: 'scheduling', tag: 'reference data' } as const;
  const create = defineEndpoint({
    ...common,
    operationId: `create${kind.name}`,
    method: 'POST',
    path: kind.path,
    roles: ['admin'],
    summary: kind.summary,
    body: kind.create,
    response: kind.body,
    status: 201,
    location: `${kind.path}/{id}`,
    problems: kind.problems,
  });
  const list = defineEndpoint({
    ...common,
    operationId: `list${kind.plural}`,
    method: 'GET',
    path: kind.path,
    roles: STAFF,
    summary: `List ${kind.plural.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}, active and deactivated, by name`,
    query: kind.query,
    response: namedResponse(`${kind.name}Page`, pageSchema(kind.body)),
  });
  const get = defineEndpoint({
    ...common,
    operationId: `get${kind.name}`,
    method: 'GET',
    path: `${kind.path}/{id}`,
    roles: STAFF,
    summary: `A ${words}`,
    params: idParams,
    response: kind.body,
  });
  const update = defineEndpoint({
    ...common,
    operationId: `update${kind.name}`,
    method: 'PATCH',
    path: `${kind.path}/{id}`,
    roles: ['admin'],
    summary: `Change a ${words}; \`active: false\` deactivates it (no new sessions; existing ones keep it)`,
    params: idParams,
    body: kind.update,
    response: kind.body,
    problems: kind.problems,
  });
  return [create, list, get, update] as const;
}

export const [createClinic, listClinics, getClinic, updateClinic] = referenceData({
  name: 'Clinic',
  plural: 'Clinics',
  path: '/clinics',
  create: createClinicSchema,
  update: updateClinicSchema,
  body: clinicSchema,
  query: directoryQuerySchema,
  summary: 'Create a clinic (with its IANA time zone)',
  problems: ['CLINIC_EXISTS'],
});
export const [createRoom, listRooms, getRoom, updateRoom] = referenceData({
  name: 'Room',
  plural: 'Rooms',
  path: '/rooms',
  create: createRoomSchema,
  update: updateRoomSchema,
  body: roomSchema,
  query: byClinicQuerySchema,
  summary: 'Create a room in a clinic',
  problems: ['ROOM_EXISTS', 'NOT_FOUND'],
});
export const [createProvider, listProviders, getProvider, updateProvider] = referenceData({
  name: 'Provider',
  plural: 'Providers',
  path: '/providers',
  create: createProviderSchema,
  update: updateProviderSchema,
  body: providerSchema,
  query: byClinicQuerySchema,
  summary: 'Create a provider (therapist)',
  problems: ['NOT_FOUND'],
});
export const [createServiceType, listServiceTypes, getServiceType, updateServiceType] = referenceData({
  name: 'ServiceType',
  plural: 'ServiceTypes',
  path: '/service-types',
  create: createServiceTypeSchema,
  update: updateServiceTypeSchema,
  body: serviceTypeSchema,
  query: directoryQuerySchema,
  summary: 'Create a service type',
  problems: ['SERVICE_TYPE_EXISTS'],
});
