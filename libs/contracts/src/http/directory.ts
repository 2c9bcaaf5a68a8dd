// Reference data of a tenant: clinics (with their IANA time zone), rooms, providers, service types.
import { z } from 'zod';
import { idSchema, lineText, nameText, timeZoneSchema } from './fields';
import { paginationFields } from './paging';
import { namedRequest, namedResponse } from './schema-names';

const name = nameText(200);
/** The name in Arabic, shown in the console's Arabic layout and in what patients read in Arabic. */
const nameAr = name.nullish();

export const createClinicSchema = namedRequest(
  'CreateClinic',
  z.strictObject({ name, nameAr, timezone: timeZoneSchema }),
);
export const createRoomSchema = namedRequest('CreateRoom', z.strictObject({ clinicId: idSchema, name, nameAr }));
export const createProviderSchema = namedRequest(
  'CreateProvider',
  z.strictObject({ name, nameAr, specialty: lineText(100).nullish(), clinicId: idSchema.nullish() }),
);
export const createServiceTypeSchema = namedRequest(
  'CreateServiceType',
  z.strictObject({
    name,
    nameAr,
    code: z.string().regex(/^[A-Z][A-Z0-9_]{1,31}$/, 'must be 2-32 capital letters, digits or _, like OT_GROUP'),
    defaultDurationMinutes: z.number().int().min(5).max(480).default(60),
  }),
);
export type CreateClinic = z.infer<typeof createClinicSchema>;
export type CreateRoom = z.infer<typeof createRoomSchema>;
export type CreateProvider = z.infer<typeof createProviderSchema>;
export type CreateServiceType = z.infer<typeof createServiceTypeSchema>;

/** A change of the fields given; `active: false` deactivates (no new sessions), `true` reactivates. */
function changeOf<T extends z.ZodRawShape>(id: string, fields: T) {
  return namedRequest(
    id,
    z
      .strictObject({ ...fields, active: z.boolean().optional() })
      .refine((b) => Object.keys(b).length > 0, { message: 'must change at least one field' })
      .meta({ minProperties: 1 }),
  );
}
export const updateClinicSchema = changeOf('UpdateClinic', { name: name.optional(), nameAr });
export const updateRoomSchema = changeOf('UpdateRoom', { name: name.optional(), nameAr });
export const updateProviderSchema = changeOf('UpdateProvider', {
  name: name.optional(),
  nameAr,
  specialty: lineText(100).nullish(),
  clinicId: idSchema.nullish(),
});
export const updateServiceTypeSchema = changeOf('UpdateServiceType', {
  name: name.optional(),
  nameAr,
  defaultDurationMinutes: z.number().int().min(5).max(480).optional(),
});
export type UpdateClinic = z.infer<typeof updateClinicSchema>;
export type UpdateRoom = z.infer<typeof updateRoomSchema>;
export type UpdateProvider = z.infer<typeof updateProviderSchema>;
export type UpdateServiceType = z.infer<typeof updateServiceTypeSchema>;

const stamps = { id: idSchema, active: z.boolean(), createdAt: z.string() };
const names = { name: z.string(), nameAr: z.string().nullable() };
export const clinicSchema = namedResponse('Clinic', z.object({ ...stamps, ...names, timezone: z.string() }));
export const roomSchema = namedResponse('Room', z.object({ ...stamps, clinicId: idSchema, ...names }));
export const providerSchema = namedResponse(
  'Provider',
  z.object({ ...stamps, ...names, specialty: z.string().nullable(), clinicId: idSchema.nullable() }),
);
export const serviceTypeSchema = namedResponse(
  'ServiceType',
  z.object({
    ...stamps,
    ...names,
    code: z.string(),
    defaultDurationMinutes: z.number().int(),
  }),
);
export type ClinicBody = z.infer<typeof clinicSchema>;
export type RoomBody = z.infer<typeof roomSchema>;
export type ProviderBody = z.infer<typeof providerSchema>;
export type ServiceTypeBody = z.infer<typeof serviceTypeSchema>;

/** Lists of clinics and service types: a page of the tenant's. */
export const directoryQuerySchema = z.strictObject({ ...paginationFields(50) });
/** Lists of rooms and providers: a page of the tenant's, optionally of one clinic. */
export const byClinicQuerySchema = z.strictObject({ clinicId: idSchema.optional(), ...paginationFields(50) });
export type DirectoryQuery = z.infer<typeof byClinicQuerySchema>;
