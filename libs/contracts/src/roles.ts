// Who a caller is to the platform. Tokens name these roles; every endpoint declares which of them may call it.

export const ROLES = ['platform-admin', 'admin', 'reception', 'provider', 'billing'] as const;
export type Role = (typeof ROLES)[number];

/** Everyone who works in a clinic: may read its reference data and sessions. */
export const STAFF: readonly Role[] = ['admin', 'reception', 'provider', 'billing'];

/** The clinic's front desk and its admin: who registers patients and books them. */
export const FRONT_DESK: readonly Role[] = ['admin', 'reception'];

/** Who reads clinical notes (a session's group notes, a seat's individual and no-show notes): not the billing team. */
export const CLINICAL: readonly Role[] = ['admin', 'reception', 'provider'];
