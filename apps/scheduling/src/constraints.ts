import { ConstraintCodes } from '@agdar/service-kit';

/** What each database constraint means to a caller, when a request loses a race to it. */
export const schedulingConstraints: ConstraintCodes = {
  tenants_pkey: { code: 'TENANT_EXISTS', detail: 'A tenant with this code already exists.' },
};
