// The words of the sessions domain, declared once: the HTTP schemas and the event schemas both use these.

export const SESSION_TYPES = ['INDIVIDUAL', 'GROUP'] as const;
export const SESSION_STATUSES = ['SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;
export const PARTICIPANT_STATUSES = ['BOOKED', 'CONFIRMED', 'ARRIVED', 'ATTENDED', 'NO_SHOW', 'CANCELLED'] as const;
export type SessionType = (typeof SESSION_TYPES)[number];
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];

/** A session holds one patient (INDIVIDUAL) or up to this many (GROUP). */
export const MAX_GROUP_CAPACITY = 20;

export const LANGUAGES = ['en', 'ar'] as const;
export const CHANNELS = ['email', 'sms'] as const;
export type Language = (typeof LANGUAGES)[number];
export type Channel = (typeof CHANNELS)[number];
