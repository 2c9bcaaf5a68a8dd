// What each fact about a session means for the people in it: which messages are queued (once, by dedupe key), which
// reminders are owed, moved or dropped. Runs inside the transaction of the event being handled, so a message is
// queued if and only if its event is marked processed.
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import {
  DeliveriesQuery,
  DeliveryBody,
  ImportedAppointment,
  MessageKind,
  Page,
  ParticipantStatus,
  SessionSnapshot,
} from '@agdar/contracts';
import { AuthUser, mapPage, UseCaseContext } from '@agdar/service-kit';
import { ParticipantFacts, SessionFacts } from '../facts/facts';
import { FactsRepository } from '../facts/facts.repository';
import { SeatsRepository } from '../facts/seats.repository';
import { RemindersRepository } from '../reminders/reminders.repository';
import { SettingsRepository, SettingsRow } from '../settings/settings.repository';
import { STAFF_KINDS } from '../templates/templates';
import { DeliveriesRepository, DeliveryRow, NewDelivery } from './deliveries.repository';
import { toDeliveryBody } from './delivery-views';
import {
  addressingOf,
  dedupeKeyOf,
  expectsSession,
  isActiveParticipant,
  isUrgent,
  nameIn,
  notifiesImported,
  QuietHours,
  reminderSchedule,
  sendableFrom,
  startMoved,
} from './message-rules';

/** A participant's seat as an event tells it. */
export interface Seat {
  participantId: string;
  patientId: string;
  appointmentNumber: string;
  imported?: ImportedAppointment;
}

/** What caused a message: the event (or reminder) id that makes it once-only. */
interface Cause {
  id: string;
  kind: MessageKind;
  extra?: {
    previousStartsAt?: string;
    availableSpots?: number;
    calendarSequence?: number;
    calendarCancel?: boolean;
    /** A move's session version: the latest move of a seat supersedes the earlier ones. */
    version?: number;
  };
}

@Injectable()
export class MessagesService {
  constructor(
    private readonly facts: FactsRepository,
    private readonly seats: SeatsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly reminders: RemindersRepository,
    private readonly settings: SettingsRepository,
  ) {}

  /**
   * A booking: the seat's confirmation, and its reminders at the tenant's offsets. Both use the session as it stands
   * now, which a later fact applied first (a move, read from the other topic before this booking) may have changed.
   */
  async booked(ctx: UseCaseContext, eventId: string, snapshot: SessionSnapshot, seat: Seat): Promise<void> {
    const session = await this.applySession(ctx, snapshot);
    if (!session) return;
    const { current } = await this.applySeat(ctx, snapshot, seat, seat.imported?.status ?? 'BOOKED');
    if (!current) return;
    // An imported appointment is told nothing unless the import asked, and never about the past.
    if (!notifiesImported(seat.imported, session.startsAt, new Date())) return;
    const settings = await this.settings.settings(ctx.em, ctx.meta.tenant);
    const confirmation = this.intentOf(ctx, { id: eventId, kind: 'BOOKING_CONFIRMATION' }, session, seat);
    await this.address(ctx.em, [confirmation], settings);
    if (expectsSession(current.status, session)) {
      await this.scheduleReminders(ctx, seat.participantId, session.startsAt, settings);
    }
  }

  /**
   * A seat cancelled: its reminders dropped and one cancellation, with the calendar entry withdrawn. A seat cancelled
   * because its session was is told so (the session's cancellation itself sends nothing more).
   */
  async cancelled(ctx: UseCaseContext, eventId: string, snapshot: SessionSnapshot, seat: Seat): Promise<void> {
    const session = await this.applySession(ctx, snapshot);
    if (!session) return;
    const { applied } = await this.applySeat(ctx, snapshot, seat, 'CANCELLED');
    if (!applied) return;
    await this.reminders.cancelFor(ctx.em, ctx.meta.tenant, [seat.participantId]);
    const calendarSequence = await this.seats.nextCalendarSequence(ctx.em, ctx.meta.tenant, seat.participantId);
    const kind = snapshot.status === 'CANCELLED' ? 'SESSION_CANCELLED' : 'PARTICIPANT_CANCELLED';
    await this.queueForSeat(
      ctx,
      { id: eventId, kind, extra: { calendarSequence, calendarCancel: true } },
      session,
      seat,
    );
  }

  /** A seat's status moved (confirmed, arrived, no-show...): a seat no longer expecting its session loses reminders. */
  async statusChanged(ctx: UseCaseContext, snapshot: SessionSnapshot, seat: Seat, to: ParticipantStatus) {
    if (!(await this.applySession(ctx, snapshot))) return;
    const { applied } = await this.applySeat(ctx, snapshot, seat, to);
    if (applied && !isActiveParticipant(to))
      await this.reminders.cancelFor(ctx.em, ctx.meta.tenant, [seat.participantId]);
  }

  /**
   * Any fact about a session: what notification knows of it is brought up to date. Its moves are handled there, from
   * whichever fact brings the new start first (SessionRescheduled or a later fact of a seat read before it).
   */
  async sessionChanged(ctx: UseCaseContext, snapshot: SessionSnapshot): Promise<void> {
    await this.applySession(ctx, snapshot);
  }

  /** Session full, spot opened: a note to the clinic's staff address. */
  async staffNote(ctx: UseCaseContext, eventId: string, kind: MessageKind, snapshot: SessionSnapshot, spots?: number) {
    const session = await this.applySession(ctx, snapshot);
    if (!session) return;
    const intent = this.intentOf(ctx, { id: eventId, kind, extra: { availableSpots: spots } }, session, null);
    await this.address(ctx.em, [intent]);
  }

  /**
   * Keeps the newest snapshot of the session and returns the session as it stands now (null: another tenant's). When
   * the snapshot moves the session's start, its active seats are told the new time and their reminders follow it.
   */
  private async applySession(ctx: UseCaseContext, snapshot: SessionSnapshot): Promise<SessionFacts | null> {
    const { applied, previous, current } = await this.seats.recordSession(ctx.em, ctx.meta.tenant, snapshot);
    if (applied && previous && current && startMoved(previous, current)) await this.moved(ctx, previous, current);
    return current;
  }

  private applySeat(ctx: UseCaseContext, snapshot: SessionSnapshot, seat: Seat, status: string) {
    return this.seats.recordParticipant(ctx.em, ctx.meta.tenant, {
      participantId: seat.participantId,
      patientId: seat.patientId,
      appointmentNumber: seat.appointmentNumber,
      sessionId: snapshot.sessionId,
      status,
      version: snapshot.version,
    });
  }

  /**
   * The session moved: each active seat's reminders move to the new start, and each is told the new time once. The
   * message is keyed by the session's version, so every move has one; at send time only the latest move of a seat is
   * sent, and only when it tells the family something new (delivery.service.ts).
   */
  private async moved(ctx: UseCaseContext, previous: SessionFacts, session: SessionFacts): Promise<void> {
    const seats = (await this.seats.participantsOf(ctx.em, ctx.meta.tenant, session.id)).filter((p) =>
      isActiveParticipant(p.status),
    );
    await this.reminders.cancelFor(
      ctx.em,
      ctx.meta.tenant,
      seats.map((p) => p.id),
    );
    const settings = await this.settings.settings(ctx.em, ctx.meta.tenant);
    for (const seat of seats) {
      const calendarSequence = await this.seats.nextCalendarSequence(ctx.em, ctx.meta.tenant, seat.id);
      const cause = {
        id: `moved/${session.id}/v${session.version}`,
        kind: 'SESSION_RESCHEDULED' as const,
        extra: { previousStartsAt: previous.startsAt.toISOString(), calendarSequence, version: session.version },
      };
      await this.queueForSeat(ctx, cause, session, seatOf(seat));
      if (expectsSession(seat.status, session)) {
        await this.scheduleReminders(ctx, seat.id, session.startsAt, settings);
      }
    }
  }

  /**
   * A reminder's time has come (its BullMQ job runs): it is sent only if it is still owed, to a seat still expecting
   * the same start of a session still scheduled; otherwise it is dropped.
   */
  async fireReminder(ctx: UseCaseContext, reminderId: string): Promise<'sent' | 'dropped' | 'done'> {
    const reminder = await this.reminders.lockForFiring(ctx.em, ctx.meta.tenant, reminderId);
    if (!reminder || reminder.status !== 'SCHEDULED') return 'done';
    const participant = await this.seats.participant(ctx.em, reminder.tenant, reminder.participantId);
    const session = participant && (await this.seats.session(ctx.em, reminder.tenant, participant.sessionId));
    const owed =
      participant &&
      session &&
      isActiveParticipant(participant.status) &&
      session.status === 'SCHEDULED' &&
      session.startsAt.getTime() === reminder.startsAt.getTime();
    if (!owed) {
      await this.reminders.markFired(ctx.em, ctx.meta.tenant, reminderId, 'CANCELLED');
      return 'dropped';
    }
    await this.queueForSeat(ctx, { id: reminderId, kind: 'REMINDER' }, session, seatOf(participant));
    await this.reminders.markFired(ctx.em, ctx.meta.tenant, reminderId, 'FIRED');
    return 'sent';
  }

  /**
   * Reminders that were never sent by the time their session started (their job kept failing: the database away at
   * fire time, Redis lost): EXPIRED, each with a row in the delivery log saying why. Returns how many.
   */
  async expireUnsentReminders(em: EntityManager, limit: number): Promise<number> {
    const expired = await this.reminders.expireUnsent(em, limit);
    await this.deliveries.insert(
      em,
      expired.map((r) => ({
        tenant: r.tenant,
        dedupeKey: dedupeKeyOf(r.id, r.participantId, null),
        kind: 'REMINDER' as const,
        channel: null,
        urgent: false,
        participantId: r.participantId,
        patientId: r.patientId,
        sessionId: r.sessionId,
        appointmentNumber: r.appointmentNumber,
        recipient: null,
        language: null,
        facts: { kind: 'REMINDER', cause: r.id, startsAt: r.startsAt.toISOString() },
        status: 'EXPIRED' as const,
        reason:
          'the reminder could not be sent before the session started' +
          (r.lastError ? ` (its last try failed: ${r.lastError})` : ''),
        notBefore: new Date(),
        correlationId: `reminder-${r.id}`,
      })),
    );
    return expired.length;
  }

  /** A fact arrived (a contact, a service type's names, the tenant): the messages that waited for it are addressed. */
  async factArrived(em: EntityManager, tenant: string, about: { patientId?: string; serviceTypeId?: string }) {
    const waiting = await this.deliveries.takeWaiting(em, tenant, about);
    await this.address(em, waiting);
  }

  async list(user: AuthUser, query: DeliveriesQuery): Promise<Page<DeliveryBody>> {
    return mapPage(await this.deliveries.list(user.tenant, query), toDeliveryBody);
  }

  private async scheduleReminders(
    ctx: UseCaseContext,
    participantId: string,
    startsAt: Date,
    known: SettingsRow | null = null,
  ): Promise<void> {
    const { reminderOffsetsSeconds } = known ?? (await this.settings.settings(ctx.em, ctx.meta.tenant));
    const owed = reminderSchedule(participantId, startsAt, reminderOffsetsSeconds, new Date());
    await this.reminders.schedule(ctx.em, ctx.meta.tenant, participantId, startsAt, owed);
  }

  private async queueForSeat(ctx: UseCaseContext, cause: Cause, session: SessionFacts, seat: Seat): Promise<void> {
    await this.address(ctx.em, [this.intentOf(ctx, cause, session, seat)]);
  }

  /** The message before it is addressed: what it is about, with no channel yet. */
  private intentOf(ctx: UseCaseContext, cause: Cause, session: SessionFacts, seat: Seat | null): NewDelivery {
    return {
      tenant: ctx.meta.tenant,
      dedupeKey: dedupeKeyOf(cause.id, seat?.participantId ?? 'staff', null),
      kind: cause.kind,
      channel: null,
      urgent: isUrgent(cause.kind),
      participantId: seat?.participantId ?? null,
      patientId: seat?.patientId ?? null,
      sessionId: session.id,
      appointmentNumber: seat?.appointmentNumber ?? null,
      recipient: null,
      language: null,
      facts: {
        kind: cause.kind,
        cause: cause.id,
        sessionNumber: session.sessionNumber,
        serviceTypeId: session.serviceTypeId,
        timezone: session.timezone,
        startsAt: session.startsAt.toISOString(),
        endsAt: session.endsAt.toISOString(),
        appointmentNumber: seat?.appointmentNumber ?? null,
        ...cause.extra,
      },
      status: 'QUEUED',
      reason: null,
      notBefore: new Date(),
      correlationId: ctx.meta.correlationId,
    };
  }

  /**
   * Turns messages into one row per channel, addressed and with every fact their template needs; one whose facts are
   * not all known yet waits (channel null) until they arrive.
   */
  private async address(
    em: EntityManager,
    intents: (NewDelivery | DeliveryRow)[],
    known: SettingsRow | null = null,
  ): Promise<void> {
    const rows: NewDelivery[] = [];
    const settingsOf = new Map<string, SettingsRow>(known && intents[0] ? [[intents[0].tenant, known]] : []);
    for (const intent of intents) {
      const base = { ...intent, status: 'QUEUED' as const };
      const staff = STAFF_KINDS.includes(intent.kind);
      const serviceTypeId = intent.facts.serviceTypeId as string;
      const { tenant, serviceType, contact } = await this.facts.forMessage(
        em,
        intent.tenant,
        serviceTypeId,
        staff ? null : intent.patientId,
      );
      const missing = !tenant
        ? 'the clinic'
        : !serviceType
          ? 'the service type'
          : !staff && !contact
            ? 'contact'
            : null;
      if (missing) {
        const reason = missing === 'contact' ? "waiting for the patient's contact details" : `waiting for ${missing}`;
        rows.push({ ...base, reason });
        continue;
      }
      const facts = {
        ...intent.facts,
        clinicName: tenant!.name,
        clinicNameAr: tenant!.nameAr,
        serviceName: serviceType!.name,
        serviceNameAr: serviceType!.nameAr,
      };
      const settings = settingsOf.get(intent.tenant) ?? (await this.settings.settings(em, intent.tenant));
      settingsOf.set(intent.tenant, settings);
      const quiet: QuietHours | null =
        settings.quietHoursStart && settings.quietHoursEnd
          ? { start: settings.quietHoursStart, end: settings.quietHoursEnd, timezone: tenant!.timezone }
          : null;
      const cause = intent.facts.cause as string;
      const subject = intent.participantId ?? 'staff';
      if (staff) {
        const to = settings.staffEmail;
        rows.push({
          ...base,
          dedupeKey: dedupeKeyOf(cause, subject, 'email'),
          channel: 'email',
          recipient: to,
          language: null,
          facts,
          status: to ? 'QUEUED' : 'SKIPPED',
          reason: to ? null : 'no staff address is set in the notification settings',
        });
        continue;
      }
      for (const addressing of addressingOf(contact!)) {
        const row: NewDelivery = {
          ...base,
          dedupeKey: dedupeKeyOf(cause, subject, addressing.channel),
          channel: addressing.channel,
          language: addressing.language,
          facts: { ...facts, patientName: nameIn(contact!, addressing.language) },
          recipient: null,
          reason: null,
        };
        if ('skip' in addressing) {
          rows.push({ ...row, status: 'SKIPPED', reason: addressing.skip });
        } else {
          rows.push({
            ...row,
            recipient: addressing.recipient,
            facts: { ...row.facts, recipientName: addressing.recipientName },
            notBefore: sendableFrom(new Date(), { channel: addressing.channel, urgent: intent.urgent }, quiet),
          });
        }
      }
    }
    await this.deliveries.insert(em, rows);
  }
}

function seatOf(p: ParticipantFacts): Seat {
  return { participantId: p.id, patientId: p.patientId, appointmentNumber: p.appointmentNumber };
}
