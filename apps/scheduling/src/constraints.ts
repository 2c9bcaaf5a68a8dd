import { ConstraintCodes } from '@agdar/service-kit';

/** What each database constraint means to a caller, when a request loses a race to it. */
export const schedulingConstraints: ConstraintCodes = {
  tenants_pkey: { code: 'TENANT_EXISTS', detail: 'A tenant with this code already exists.' },
  clinics_tenant_fkey: {
    code: 'TENANT_NOT_REGISTERED',
    detail: 'Your tenant is not registered yet: a platform admin must create it first.',
  },
  providers_tenant_fkey: {
    code: 'TENANT_NOT_REGISTERED',
    detail: 'Your tenant is not registered yet: a platform admin must create it first.',
  },
  service_types_tenant_fkey: {
    code: 'TENANT_NOT_REGISTERED',
    detail: 'Your tenant is not registered yet: a platform admin must create it first.',
  },
  clinics_tenant_name: { code: 'CLINIC_EXISTS', detail: 'A clinic with this name already exists.' },
  rooms_clinic_name: { code: 'ROOM_EXISTS', detail: 'This clinic already has a room with this name.' },
  service_types_tenant_code: { code: 'SERVICE_TYPE_EXISTS', detail: 'A service type with this code already exists.' },
  sessions_provider_overlap: {
    code: 'PROVIDER_CONFLICT',
    detail: 'The provider already has a session at that time; choose another time or provider.',
  },
  sessions_room_overlap: {
    code: 'ROOM_CONFLICT',
    detail: 'The room is already booked at that time; choose another time or room.',
  },
  participants_patient_overlap: { code: 'PATIENT_CONFLICT', detail: 'The patient already has a session at that time.' },
  participants_active_patient: { code: 'ALREADY_ENROLLED', detail: 'The patient is already in this session.' },
};
