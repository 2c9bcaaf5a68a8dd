// Every problem code the API can answer, with its HTTP status and an example of its detail: the one list the services'
// error filter, the gateway and the OpenAPI document read. A code not listed here cannot be thrown (the type says so).

export interface ProblemCodeDefinition {
  status: number;
  example: string;
}

export const PROBLEM_CODES = {
  VALIDATION_FAILED: {
    status: 400,
    example: 'The request is not valid: scheduledDate must be an existing date as YYYY-MM-DD',
  },
  MALFORMED_JSON: { status: 400, example: 'The body is not valid JSON: Unexpected end of JSON input' },
  PAYLOAD_TOO_LARGE: { status: 400, example: 'The body is larger than the 64kb this API accepts; send less.' },
  UNAUTHENTICATED: { status: 401, example: 'The bearer token has expired; sign in again.' },
  FORBIDDEN: { status: 403, example: 'This needs one of the roles: admin, reception.' },
  NOT_FOUND: { status: 404, example: 'Session 6f1c1d2e-8a3b-4c5d-9e6f-0a1b2c3d4e5f does not exist.' },
  METHOD_NOT_ALLOWED: { status: 405, example: 'PUT is not allowed here; use GET or PATCH.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, example: 'Send the body as JSON with Content-Type: application/json.' },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    example: 'This Idempotency-Key was used for a different request; use a new key for a new request.',
  },
  RATE_LIMITED: { status: 429, example: 'More than 1200 requests in a minute; wait for the Retry-After seconds.' },
  SERVICE_UNAVAILABLE: {
    status: 503,
    example: 'The scheduling service is not reachable right now; try again shortly.',
  },
  BAD_GATEWAY: { status: 502, example: 'The service gave no answer.' },
  INTERNAL_ERROR: { status: 500, example: 'Something went wrong on our side; it has been logged.' },
  CONFLICT: { status: 409, example: 'This conflicts with an existing record.' },
  REFERENCE_CONFLICT: { status: 409, example: 'This refers to a record that does not exist or is still in use.' },
  CONCURRENT_UPDATE: { status: 409, example: 'Someone changed this at the same time; try again.' },
  TENANT_EXISTS: { status: 409, example: 'A tenant with this code already exists.' },
  TENANT_NOT_REGISTERED: {
    status: 403,
    example: 'Your tenant is not registered yet: a platform admin must create it first.',
  },
  CLINIC_EXISTS: { status: 409, example: 'A clinic with this name already exists.' },
  ROOM_EXISTS: { status: 409, example: 'This clinic already has a room with this name.' },
  SERVICE_TYPE_EXISTS: { status: 409, example: 'A service type with this code already exists.' },
  ROOM_NOT_IN_CLINIC: { status: 409, example: 'Room 2 is not in clinic Olaya.' },
  REFERENCE_INACTIVE: { status: 409, example: 'Room Room 2 is deactivated and takes no new sessions; choose another.' },
  PROVIDER_CONFLICT: {
    status: 409,
    example: 'The provider already has a session at that time; choose another time or provider.',
  },
  ROOM_CONFLICT: { status: 409, example: 'The room is already booked at that time; choose another time or room.' },
  PATIENT_CONFLICT: { status: 409, example: 'The patient already has a session at that time.' },
  NOT_YET_KNOWN: {
    status: 409,
    example:
      'Billing has not learnt of service type 6f1c… yet (it was created a moment ago); try again after Retry-After seconds.',
  },
  PATIENT_UNKNOWN: {
    status: 409,
    example: 'Scheduling has not learnt of patient 6f1c… yet; try again in a moment.',
  },
  INVALID_TIME: {
    status: 400,
    example: '02:30 does not exist on 2026-03-29 in Europe/London (the clocks go forward).',
  },
  PATIENT_EXISTS: { status: 409, example: 'A patient with external id LEG-1042 is already registered.' },
  ALREADY_ENROLLED: { status: 409, example: 'The patient is already in this session.' },
  SESSION_FULL: { status: 409, example: 'The session is full (8 of 8); choose another session.' },
  SESSION_NOT_OPEN: {
    status: 409,
    example: 'Patients can be added only to a SCHEDULED session; this one is IN_PROGRESS.',
  },
  SESSION_CLOSED: { status: 409, example: 'A COMPLETED session cannot change.' },
  INVALID_CAPACITY: { status: 409, example: 'An INDIVIDUAL session has capacity 1.' },
  CAPACITY_BELOW_ACTIVE: {
    status: 409,
    example: 'The session has 5 active participants; capacity cannot go below that.',
  },
  INVALID_TRANSITION: { status: 409, example: 'A participant cannot go from ATTENDED to CANCELLED.' },
  SESSION_ALREADY_STARTED: {
    status: 409,
    example: 'The session began at 10:00; patients can no longer be added. Choose a session that has not started.',
  },
  TOO_EARLY: { status: 409, example: 'The session can start from 09:30 (30 minutes before it); try again then.' },
  CHECK_IN_BLOCKED: { status: 409, example: 'Check-in needs financeCleared: clear it first.' },
  UNKNOWN_CURRENCY: { status: 422, example: "XYZ is not an ISO 4217 currency; use the tenant's, like SAR." },
  CURRENCY_MISMATCH: { status: 422, example: 'This tenant bills in SAR, not USD; give the amount in SAR.' },
  INVOICE_NOT_ISSUED: {
    status: 409,
    example: 'The invoice is a DRAFT waiting for the price of OT_GROUP; set the price to issue it.',
  },
  INVOICE_SETTLED: { status: 409, example: 'Invoice INV-AGDAR-2026-7 is CREDITED; nothing is owed on it.' },
  OVERPAYMENT: {
    status: 409,
    example: 'The invoice has 75.00 SAR outstanding; a payment of 100.00 is more than that.',
  },
  OVERREFUND: { status: 409, example: 'At most 57.50 SAR can be refunded on CRN-AGDAR-2026-3.' },
} as const satisfies Record<string, ProblemCodeDefinition>;

export type ProblemCode = keyof typeof PROBLEM_CODES;
