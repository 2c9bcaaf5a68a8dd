// How a legacy appointment becomes ours (the original design's mapping), as pure functions: the session's status from
// the participant's, what each status stamps, and which appointment numbers are in our own format (and so reserved).
import type { ParticipantStatus, SessionStatus } from '@agdar/contracts';

/**
 * BOOKED and CONFIRMED appointments are still to happen: a SCHEDULED session. The others happened or will not: the
 * session is closed (CANCELLED for a cancelled appointment, COMPLETED otherwise) and the participant keeps its status.
 */
export function sessionStatusOfImported(status: ParticipantStatus): SessionStatus {
  if (status === 'BOOKED' || status === 'CONFIRMED') return 'SCHEDULED';
  return status === 'CANCELLED' ? 'CANCELLED' : 'COMPLETED';
}

export const IMPORTED_CANCELLATION = 'Cancelled in the previous system';

/** The timestamps and reasons an imported participant's status implies (arrival and attendance at the start). */
export function stampsOfImported(status: ParticipantStatus, startsAt: Date) {
  return {
    arrivalAt: status === 'ARRIVED' || status === 'ATTENDED' ? startsAt : null,
    attendedAt: status === 'ATTENDED' ? startsAt : null,
    cancellationReason: status === 'CANCELLED' ? IMPORTED_CANCELLATION : null,
  };
}

/**
 * An appointment number in our own format (APT-{TENANT}-{YYYY}-{n}) for this tenant: its year and number, which the
 * tenant's sequence of that year must never hand out again. Legacy numbers of any other form cannot collide with ours.
 */
export function ownNumberOf(appointmentNumber: string, tenant: string): { year: number; value: number } | null {
  const match = /^APT-([A-Z0-9]+)-(\d{4})-(\d{1,15})$/.exec(appointmentNumber);
  if (!match || match[1] !== tenant) return null;
  return { year: Number(match[2]), value: Number(match[3]) };
}

/**
 * The check-in gates of an imported seat. Consent is what the platform knows of the patient, never the file's word.
 * Payment is cleared by this appointment's own invoice, except for an appointment the previous system billed: no
 * invoice of ours will clear it, so the file's statement that it was paid there is the only record there is.
 */
export function gatesOfImported(
  row: { legacyBilled: boolean; financeCleared: boolean },
  patient: { consentVerified: boolean },
): { financeCleared: boolean; consentVerified: boolean } {
  return {
    financeCleared: row.legacyBilled && row.financeCleared,
    consentVerified: patient.consentVerified,
  };
}
