// Reference data of a tenant: clinics (with their IANA time zone), rooms, providers, service types.
import { z } from 'zod';
import { idSchema, timeZoneSchema } from './fields';
import { paginationFields } from './paging';
import { namedRequest, namedResponse } from './schema-names';

const name = z.string().trim().min(1).max(200);

export const createClinicSchema = namedRequest('CreateClinic', z.strictObject({ name, timezone: timeZoneSchema }));
export const createRoomSchema = namedRequest('CreateRoom', z.strictObject({ clinicId: idSchema, name }));
export const createProviderSchema = namedRequest(
  'CreateProvider',
  z.strictObject({ name, specialty: z.string().trim().min(1).max(100).nullish(), clinicId: idSchema.nullish() }),
);
export const createServiceTypeSchema = namedRequest(
  'CreateServiceType',
  z.strictObject({
    name,
    code: z.string().regex(/^[A-Z][A-Z0-9_]{1,31}$/, 'must be 2-32 capital letters, digits or _, like OT_GROUP'),
    defaultDurationMinutes: z.number().int().min(5).max(480).default(60),
  }),
);
export type CreateClinic = z.infer<typeof createClinicSchema>;
export type CreateRoom = z.infer<typeof createRoomSchema>;
export type CreateProvider = z.infer<typeof createProviderSchema>;
export type CreateServiceType = z.infer<typeof createServiceTypeSchema>;

const stamps = { id: idSchema, createdAt: z.string() };
export const clinicSchema = namedResponse('Clinic', z.object({ ...stamps, name: z.string(), timezone: z.string() }));
export const roomSchema = namedResponse('Room', z.object({ ...stamps, clinicId: idSchema, name: z.string() }));
export const providerSchema = namedResponse(
  'Provider',
  z.object({ ...stamps, name: z.string(), specialty: z.string().nullable(), clinicId: idSchema.nullable() }),
);
export const serviceTypeSchema = namedResponse(
  'ServiceType',
  z.object({ ...stamps, name: z.string(), code: z.string(), defaultDurationMinutes: z.number().int() }),
);
export type ClinicBody = z.infer<typeof clinicSchema>;
export type RoomBody = z.infer<typeof roomSchema>;
export type ProviderBody = z.infer<typeof providerSchema>;
export type ServiceTypeBody = z.infer<typeof serviceTypeSchema>;

export const directoryQuerySchema = z.strictObject({
  clinicId: idSchema.optional(),
  ...paginationFields(50),
});
export type DirectoryQuery = z.infer<typeof directoryQuerySchema>;
