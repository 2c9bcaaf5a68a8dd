// How sessions and participants look to API callers and in events.
import { ParticipantBody, SessionBody, SessionSnapshot } from '@agdar/contracts';
import { Participant } from './participant.entity';
import { Session } from './session.entity';
import { participantActionsOf, sessionActionsOf, Viewer } from './action-rules';
import { canCheckIn, capacityOf, isActive } from './session-rules';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** Patients' names by patient id, from scheduling's projection of the participant service's facts. */
export type PatientNames = ReadonlyMap<string, { en: string; ar: string | null }>;

/** A seat as `viewer` sees it, with what they may do to it now in its `session`. */
export function toParticipantBody(
  p: Participant,
  session: Session,
  names: PatientNames,
  viewer: Viewer,
): ParticipantBody {
  const name = names.get(p.patientId);
  return {
    id: p.id,
    sessionId: p.sessionId,
    patientId: p.patientId,
    patientNameEn: name?.en ?? '',
    patientNameAr: name?.ar ?? null,
    appointmentNumber: p.appointmentNumber,
    status: p.status,
    financeCleared: p.financeCleared,
    consentVerified: p.consentVerified,
    canCheckIn: canCheckIn(p),
    confirmationSentAt: iso(p.confirmationSentAt),
    invoiceNumber: p.invoiceNumber ?? null,
    invoiceStatus: p.invoiceStatus ?? null,
    arrivalAt: iso(p.arrivalAt),
    attendedAt: iso(p.attendedAt),
    individualNotes: p.individualNotes ?? null,
    noShowReason: p.noShowReason ?? null,
    noShowNotes: p.noShowNotes ?? null,
    cancellationReason: p.cancellationReason ?? null,
    cancelledBy: p.cancelledBy ?? null,
    actions: participantActionsOf(p, session, viewer),
  };
}

/** A session with its seats as `viewer` sees them, with what they may do now. */
export function toSessionBody(
  s: Session,
  participants: Participant[],
  names: PatientNames,
  viewer: Viewer,
): SessionBody {
  const ordered = [...participants].sort((a, b) => a.appointmentNumber.localeCompare(b.appointmentNumber));
  return {
    id: s.id,
    sessionNumber: s.sessionNumber,
    sessionType: s.sessionType,
    maxCapacity: s.maxCapacity,
    ...capacityOf(s.maxCapacity, participants.filter((p) => isActive(p.status)).length),
    providerId: s.providerId,
    clinicId: s.clinicId,
    roomId: s.roomId,
    serviceTypeId: s.serviceTypeId,
    scheduledDate: s.scheduledDate,
    scheduledTime: s.scheduledTime,
    durationMinutes: s.durationMinutes,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
    status: s.status,
    groupNotes: s.groupNotes ?? null,
    cancellationReason: s.cancellationReason ?? null,
    participants: ordered.map((p) => toParticipantBody(p, s, names, viewer)),
    actions: sessionActionsOf(
      s,
      participants.map((p) => p.status),
      viewer,
    ),
    createdAt: s.createdAt.toISOString(),
    updatedAt: s.updatedAt.toISOString(),
  };
}

/**
 * The snapshot the next fact about the session carries: the session's history moves one version on, in the
 * transaction of the change (the unit of work saves the new version with it).
 */
export function nextSnapshotOf(s: Session): SessionSnapshot {
  s.version += 1;
  return {
    sessionId: s.id,
    version: s.version,
    sessionNumber: s.sessionNumber,
    sessionType: s.sessionType,
    status: s.status,
    maxCapacity: s.maxCapacity,
    clinicId: s.clinicId,
    roomId: s.roomId,
    providerId: s.providerId,
    serviceTypeId: s.serviceTypeId,
    timezone: s.timezone,
    scheduledDate: s.scheduledDate,
    scheduledTime: s.scheduledTime,
    durationMinutes: s.durationMinutes,
    startsAt: s.startsAt.toISOString(),
    endsAt: s.endsAt.toISOString(),
  };
}

/** What every fact about a seat carries: the session's next snapshot and the seat's identity. */
export function participantFactsOf(session: Session, p: Participant) {
  return {
    session: nextSnapshotOf(session),
    participantId: p.id,
    appointmentNumber: p.appointmentNumber,
    patientId: p.patientId,
  };
}

/** The fields of a participant that the audit trail follows. */
export function participantAuditFields(p: Participant) {
  return {
    status: p.status,
    individualNotes: p.individualNotes,
    noShowReason: p.noShowReason,
    noShowNotes: p.noShowNotes,
    cancellationReason: p.cancellationReason,
    cancelledBy: p.cancelledBy,
    arrivalAt: p.arrivalAt,
    attendedAt: p.attendedAt,
    financeCleared: p.financeCleared,
    consentVerified: p.consentVerified,
  };
}

/** The fields of a session that the audit trail follows. */
export function sessionAuditFields(s: Session) {
  return {
    status: s.status,
    maxCapacity: s.maxCapacity,
    groupNotes: s.groupNotes,
    scheduledDate: s.scheduledDate,
    scheduledTime: s.scheduledTime,
    durationMinutes: s.durationMinutes,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    roomId: s.roomId,
    providerId: s.providerId,
    cancellationReason: s.cancellationReason,
  };
}
