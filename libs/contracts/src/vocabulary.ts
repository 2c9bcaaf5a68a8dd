// The words of the sessions domain, declared once: the HTTP schemas and the event schemas both use these.

export const SESSION_TYPES = ['INDIVIDUAL', 'GROUP'] as const;
export const SESSION_STATUSES = ['SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;
export const PARTICIPANT_STATUSES = ['BOOKED', 'CONFIRMED', 'ARRIVED', 'ATTENDED', 'NO_SHOW', 'CANCELLED'] as const;
export type SessionType = (typeof SESSION_TYPES)[number];
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

/** Who cancelled a seat: the patient (the clinic's fee policy applies) or the clinic (the family is never charged). */
export const CANCELLED_BY = ['PATIENT', 'CLINIC'] as const;
export type CancelledBy = (typeof CANCELLED_BY)[number];

/** A session holds one patient (INDIVIDUAL) or up to this many (GROUP). */
export const MAX_GROUP_CAPACITY = 20;

/** A tenant's code: a capital, then 1 to 15 capitals or digits (it appears in every number the tenant issues). */
export const TENANT_CODE = /^[A-Z][A-Z0-9]{1,15}$/;

/** How early a session may start and its patients check in, and how long no-shows wait, until the tenant says. */
export const DEFAULT_EARLY_START_MINUTES = 30;
export const DEFAULT_NO_SHOW_GRACE_MINUTES = 15;

/** What may be done to a session, and to a seat in it: bodies say which of these the caller may do now. */
export const SESSION_ACTIONS = ['start', 'complete', 'reschedule', 'changeCapacity', 'addPatients', 'cancel'] as const;
export const PARTICIPANT_ACTIONS = ['checkIn', 'confirm', 'noShow', 'remove'] as const;
export type SessionAction = (typeof SESSION_ACTIONS)[number];
export type ParticipantAction = (typeof PARTICIPANT_ACTIONS)[number];

/**
 * Why an action is not possible yet: TOO_EARLY until its time opens (the body says when), CONSENT and PAYMENT until the
 * seat's consent is verified and its invoice paid, FULL while no spot is free, STARTED once the session's time passed.
 */
export const ACTION_BLOCKERS = ['TOO_EARLY', 'CONSENT', 'PAYMENT', 'FULL', 'STARTED'] as const;
export type ActionBlocker = (typeof ACTION_BLOCKERS)[number];

export const LANGUAGES = ['en', 'ar'] as const;
export const CHANNELS = ['email', 'sms'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Channel = (typeof CHANNELS)[number];

/**
 * An invoice's life. DRAFT waits for its service type's price and has no number; ISSUED and PARTIALLY_PAID are open;
 * PAID, WAIVED and CREDITED are settled; VOID is a draft whose appointment was cancelled before it was ever issued.
 */
export const INVOICE_STATUSES = ['DRAFT', 'ISSUED', 'PARTIALLY_PAID', 'PAID', 'WAIVED', 'CREDITED', 'VOID'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];
export const PAYMENT_METHODS = ['CASH', 'CARD', 'BANK_TRANSFER', 'INSURANCE'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
/** Why a credit note was issued: the policy applied, or a correction by the billing team. */
export const CREDIT_REASONS = ['CANCELLED', 'LATE_CANCELLATION', 'NO_SHOW', 'SESSION_CANCELLED'] as const;
export type CreditReason = (typeof CREDIT_REASONS)[number];

/** What a message is about: the patient's five, and the two that go to the clinic's staff. */
export const MESSAGE_KINDS = [
  'BOOKING_CONFIRMATION',
  'REMINDER',
  'PARTICIPANT_CANCELLED',
  'SESSION_RESCHEDULED',
  'SESSION_CANCELLED',
  'SESSION_FULL',
  'SPOT_OPENED',
] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
/**
 * A delivery's life: QUEUED (waiting to be sent, or for the patient's contact details, or for quiet hours to end),
 * SENDING (claimed by a sender), SENT (accepted by the mail server or the SMS provider), FAILED (given up, with the
 * provider's answer), SKIPPED (not sent, with why), UNCERTAIN (handed to the provider by a sender that died before it
 * heard the answer: perhaps received, never sent again, for staff to check) or EXPIRED (a reminder whose moment passed
 * before it could be sent, with why).
 */
export const DELIVERY_STATUSES = ['QUEUED', 'SENDING', 'SENT', 'FAILED', 'SKIPPED', 'UNCERTAIN', 'EXPIRED'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
