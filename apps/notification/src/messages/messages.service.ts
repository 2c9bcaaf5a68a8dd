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
import { FactsRepository, ParticipantFacts } from '../facts/facts.repository';
import { RemindersRepository } from '../reminders/reminders.repository';
import { SettingsRepository, SettingsRow } from '../settings/settings.repository';
import { STAFF_KINDS } from '../templates/templates';
import { DeliveriesRepository, DeliveryRow, NewDelivery } from './deliveries.repository';
import {
  addressingOf,
  dedupeKeyOf,
  isActiveParticipant,
  isUrgent,
  maskRecipient,
  nameIn,
  notifiesImported,
  QuietHours,
  reminderSchedule,
  sendableFrom,
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
  extra?: { previousStartsAt?: string; availableSpots?: number; calendarSequence?: number; calendarCancel?: boolean };
}

@Injectable()
export class MessagesService {
  constructor(
    private readonly facts: FactsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly reminders: RemindersRepository,
    private readonly settings: SettingsRepository,
  ) {}

  /** A booking: the seat's confirmation, and its reminders at the tenant's offsets. */
  async booked(ctx: UseCaseContext, eventId: string, session: SessionSnapshot, seat: Seat): Promise<void> {
    await this.facts.recordSession(ctx.em, ctx.meta.tenant, session);
    await this.facts.recordParticipant(ctx.em, ctx.meta.tenant, {
      participantId: seat.participantId,
      patientId: seat.patientId,
      appointmentNumber: seat.appointmentNumber,
      sessionId: session.sessionId,
      status: seat.imported?.status ?? 'BOOKED',
    });
    // An imported appointment is told nothing unless the import asked, and never about the past.
    if (!notifiesImported(seat.imported, new Date(session.startsAt), new Date())) return;
    const settings = await this.settings.settings(ctx.em, ctx.meta.tenant);
    const confirmation = this.intentOf(ctx, { id: eventId, kind: 'BOOKING_CONFIRMATION' }, session, seat);
    await this.address(ctx.em, [confirmation], settings);
    await this.scheduleReminders(ctx, seat.participantId, new Date(session.startsAt), settings);
  }

  /**
   * A seat cancelled: its reminders dropped and one cancellation, with the calendar entry withdrawn. A seat cancelled
   * because its session was is told so (the session's cancellation itself sends nothing more).
   */
  async cancelled(ctx: UseCaseContext, eventId: string, session: SessionSnapshot, seat: Seat): Promise<void> {
    await this.facts.recordSession(ctx.em, ctx.meta.tenant, session);
    await this.facts.recordParticipant(ctx.em, ctx.meta.tenant, {
      ...seat,
      sessionId: session.sessionId,
      status: 'CANCELLED',
    });
    await this.reminders.cancelFor(ctx.em, ctx.meta.tenant, [seat.participantId]);
    const calendarSequence = await this.facts.nextCalendarSequence(ctx.em, ctx.meta.tenant, seat.participantId);
    const kind = session.status === 'CANCELLED' ? 'SESSION_CANCELLED' : 'PARTICIPANT_CANCELLED';
    await this.queueForSeat(
      ctx,
      { id: eventId, kind, extra: { calendarSequence, calendarCancel: true } },
      session,
      seat,
    );
  }

  /** A seat's status moved (confirmed, arrived, no-show...): a seat no longer expecting its session loses reminders. */
  async statusChanged(ctx: UseCaseContext, session: SessionSnapshot, seat: Seat, to: ParticipantStatus) {
    await this.facts.recordSession(ctx.em, ctx.meta.tenant, session);
    await this.facts.recordParticipant(ctx.em, ctx.meta.tenant, { ...seat, sessionId: session.sessionId, status: to });
    if (!isActiveParticipant(to)) await this.reminders.cancelFor(ctx.em, ctx.meta.tenant, [seat.participantId]);
  }

  /** A session moved: each active seat's reminders move to the new start, and each is told the new time once. */
  async rescheduled(ctx: UseCaseContext, eventId: string, session: SessionSnapshot, previousStartsAt: string) {
    await this.facts.recordSession(ctx.em, ctx.meta.tenant, session);
    if (Date.parse(previousStartsAt) === Date.parse(session.startsAt)) return;
    const seats = (await this.facts.participantsOf(ctx.em, ctx.meta.tenant, session.sessionId)).filter((p) =>
      isActiveParticipant(p.status),
    );
    await this.reminders.cancelFor(
      ctx.em,
      ctx.meta.tenant,
      seats.map((p) => p.id),
    );
    for (const seat of seats) {
      const calendarSequence = await this.facts.nextCalendarSequence(ctx.em, ctx.meta.tenant, seat.id);
      await this.queueForSeat(
        ctx,
        { id: eventId, kind: 'SESSION_RESCHEDULED', extra: { previousStartsAt, calendarSequence } },
        session,
        seatOf(seat),
      );
      await this.scheduleReminders(ctx, seat.id, new Date(session.startsAt));
    }
  }

  /** Any other fact about a session: what notification knows of it is brought up to date. */
  sessionChanged(ctx: UseCaseContext, session: SessionSnapshot): Promise<void> {
    return this.facts.recordSession(ctx.em, ctx.meta.tenant, session);
  }

  /** Session full, spot opened: a note to the clinic's staff address. */
  async staffNote(ctx: UseCaseContext, eventId: string, kind: MessageKind, session: SessionSnapshot, spots?: number) {
    await this.facts.recordSession(ctx.em, ctx.meta.tenant, session);
    const intent = this.intentOf(ctx, { id: eventId, kind, extra: { availableSpots: spots } }, session, null);
    await this.address(ctx.em, [intent]);
  }

  /**
   * A reminder's time has come (its BullMQ job runs): it is sent only if it is still owed, to a seat still expecting
   * the same start of a session still scheduled; otherwise it is dropped.
   */
  async fireReminder(ctx: UseCaseContext, reminderId: string): Promise<'sent' | 'dropped' | 'done'> {
    const reminder = await this.reminders.lockForFiring(ctx.em, ctx.meta.tenant, reminderId);
    if (!reminder || reminder.status !== 'SCHEDULED') return 'done';
    const participant = await this.facts.participant(ctx.em, reminder.tenant, reminder.participantId);
    const session = participant && (await this.facts.session(ctx.em, reminder.tenant, participant.sessionId));
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
    const snapshot = {
      sessionId: session.id,
      sessionNumber: session.sessionNumber,
      serviceTypeId: session.serviceTypeId,
      timezone: session.timezone,
      startsAt: session.startsAt.toISOString(),
      endsAt: session.endsAt.toISOString(),
    };
    await this.queueForSeat(ctx, { id: reminderId, kind: 'REMINDER' }, snapshot, seatOf(participant));
    await this.reminders.markFired(ctx.em, ctx.meta.tenant, reminderId, 'FIRED');
    return 'sent';
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

  private async queueForSeat(ctx: UseCaseContext, cause: Cause, session: SessionFields, seat: Seat): Promise<void> {
    await this.address(ctx.em, [this.intentOf(ctx, cause, session, seat)]);
  }

  /** The message before it is addressed: what it is about, with no channel yet. */
  private intentOf(ctx: UseCaseContext, cause: Cause, session: SessionFields, seat: Seat | null): NewDelivery {
    return {
      tenant: ctx.meta.tenant,
      dedupeKey: dedupeKeyOf(cause.id, seat?.participantId ?? 'staff', null),
      kind: cause.kind,
      channel: null,
      urgent: isUrgent(cause.kind),
      participantId: seat?.participantId ?? null,
      patientId: seat?.patientId ?? null,
      sessionId: session.sessionId,
      appointmentNumber: seat?.appointmentNumber ?? null,
      recipient: null,
      language: null,
      facts: {
        kind: cause.kind,
        cause: cause.id,
        sessionNumber: session.sessionNumber,
        serviceTypeId: session.serviceTypeId,
        timezone: session.timezone,
        startsAt: session.startsAt,
        endsAt: session.endsAt,
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

type SessionFields = Pick<
  SessionSnapshot,
  'sessionId' | 'sessionNumber' | 'serviceTypeId' | 'timezone' | 'startsAt' | 'endsAt'
>;

function seatOf(p: ParticipantFacts): Seat {
  return { participantId: p.id, patientId: p.patientId, appointmentNumber: p.appointmentNumber };
}

function toDeliveryBody(row: DeliveryRow): DeliveryBody {
  return {
    id: row.id,
    kind: row.kind,
    channel: row.channel,
    recipient: row.recipient ? maskRecipient(row.recipient) : null,
    language: row.language,
    status: row.status,
    reason: row.reason,
    providerAnswer: row.providerAnswer,
    attempts: row.attempts,
    appointmentNumber: row.appointmentNumber,
    participantId: row.participantId,
    patientId: row.patientId,
    sessionId: row.sessionId,
    notBefore: row.notBefore.toISOString(),
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}
