// Sending one claimed delivery: still wanted? rendered in its language with the session as it stands now, handed to
// its channel, and recorded. The send is fenced by its claim (markHanded, one statement before the provider call) and
// bounded inside its lease; the window between the provider's acceptance and our record is the one transaction that
// marks it SENT (with ConfirmationSent for a confirmation). A crash inside that window leaves the row UNCERTAIN, never
// sent again: at most one message per delivery row and channel. A failure that may pass is tried again later; one that
// will not, or the last try, is FAILED with the provider's answer. Nothing here throws: one bad message never holds
// up the next.
import { createHash } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { ConfirmationSent } from '@agdar/contracts';
import { errorSummary, isDatabaseUnavailable } from '@agdar/messaging';
import { JsonLogger, SERVICE_CONFIG, WritePath } from '@agdar/service-kit';
import { Accepted, SendFailure, withinDeadline } from '../channels/channel';
import { EmailChannel } from '../channels/email';
import { SmsProvider } from '../channels/sms';
import { NotificationConfig } from '../config';
import { SeatsRepository } from '../facts/seats.repository';
import { invitationOf } from '../templates/calendar';
import { checkedFacts, renderForPatient, renderForStaff, STAFF_KINDS, TemplateError } from '../templates/templates';
import { DeliveryRow } from './deliveries.repository';
import { SendingRepository } from './sending.repository';
import { MAX_SEND_ATTEMPTS, retryDelayMs, seatMessageNow } from './message-rules';

/** Tries, a second apart, to record an answer the provider gave while the database is away. */
const RECORD_ATTEMPTS = 60;

export const SMS_PROVIDER = Symbol('SMS_PROVIDER');

@Injectable()
export class DeliveryService {
  constructor(
    private readonly deliveries: SendingRepository,
    private readonly seats: SeatsRepository,
    private readonly email: EmailChannel,
    @Optional() @Inject(SMS_PROVIDER) private readonly sms: SmsProvider | null,
    private readonly writes: WritePath,
    private readonly orm: MikroORM,
    private readonly logger: JsonLogger,
    @Inject(SERVICE_CONFIG) private readonly config: NotificationConfig,
  ) {}

  async deliver(row: DeliveryRow): Promise<void> {
    let handed = false;
    try {
      const now = await this.factsNow(row);
      if ('skip' in now) return await this.deliveries.markEnded(row, 'SKIPPED', now.skip);
      const send = row.channel === 'email' ? () => this.sendEmail(row, now.facts) : () => this.sendSms(row, now.facts);
      const slot = <T>(work: () => Promise<T>) => (row.channel === 'email' ? this.email.withConnection(work) : work());
      const accepted = await slot(async (): Promise<Accepted | null> => {
        const told = { startsAt: now.facts.startsAt, endsAt: now.facts.endsAt };
        if (!(await this.deliveries.markHanded(row, this.budgetSeconds, told))) return null;
        handed = true;
        return withinDeadline(send(), this.budgetSeconds * 1000, `the ${row.channel} provider`);
      });
      if (!accepted) return; // no longer ours, or too little lease left: claimed again later
      await this.record(row, accepted);
    } catch (error) {
      await this.recordFailure(row, error as Error, handed);
    }
  }

  /**
   * The provider took it: SENT (and ConfirmationSent) in one transaction. The answer is known, so a database that is
   * away is waited for (a minute at most) rather than leaving the row to turn UNCERTAIN when its lease runs out.
   */
  private async record(row: DeliveryRow, accepted: Accepted): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.markSent(row, accepted);
      } catch (error) {
        if (!isDatabaseUnavailable(error) || attempt >= RECORD_ATTEMPTS) throw error;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private async markSent(row: DeliveryRow, accepted: Accepted): Promise<void> {
    await this.writes.runAs(metaOf(row), async (ctx) => {
      await this.deliveries.markSent(ctx.em, row, accepted);
      if (row.kind === 'BOOKING_CONFIRMATION' && row.participantId) {
        await ctx.publish(ConfirmationSent, {
          participantId: row.participantId,
          sessionId: row.sessionId!,
          patientId: row.patientId!,
          appointmentNumber: row.appointmentNumber!,
          channel: row.channel!,
          sentAt: new Date().toISOString(),
        });
      }
    });
  }

  /** What a send may take once handed over: half the lease, so it ends while the claim is still ours. */
  private get budgetSeconds(): number {
    return this.config.SEND_LEASE_SECONDS / 2;
  }

  /**
   * The message's facts as they stand now (the session's newest start and end, and for a move the start the family
   * was last told), or why it is no longer wanted. Staff notes go as they were queued.
   */
  private async factsNow(row: DeliveryRow): Promise<{ facts: Record<string, unknown> } | { skip: string }> {
    if (!row.participantId || STAFF_KINDS.includes(row.kind)) return { facts: row.facts };
    const em = this.orm.em.fork() as EntityManager;
    const seat = await this.seats.seatNow(em, {
      tenant: row.tenant,
      participantId: row.participantId,
      sessionId: row.sessionId!,
      channel: row.channel!,
      version: row.facts.version as number | undefined,
    });
    return seatMessageNow(row, seat);
  }

  private async sendEmail(row: DeliveryRow, now: Record<string, unknown>) {
    const facts = checkedFacts(now);
    const staff = STAFF_KINDS.includes(row.kind);
    const recipientName = (now.recipientName as string | undefined) ?? row.recipient!;
    const message = staff ? renderForStaff(facts) : renderForPatient(facts, row.language ?? 'en', recipientName);
    const cancel = now.calendarCancel === true;
    return this.email.send({
      to: { name: recipientName, address: row.recipient! },
      subject: message.subject,
      text: message.text,
      html: message.html,
      language: row.language ?? 'en',
      messageId: `<${createHash('sha1').update(row.dedupeKey).digest('hex')}@agdar.clinic>`,
      unsubscribe:
        row.kind === 'REMINDER'
          ? `<mailto:${this.email.fromAddress}?subject=${encodeURIComponent(`unsubscribe ${row.appointmentNumber}`)}>`
          : null,
      calendar:
        staff || !row.participantId
          ? null
          : {
              method: cancel ? 'CANCEL' : 'REQUEST',
              content: invitationOf(facts, message.subject, {
                participantId: row.participantId,
                sequence: (now.calendarSequence as number | undefined) ?? 0,
                cancel,
                recipient: { name: recipientName, email: row.recipient! },
                organizer: { name: facts.clinicName, email: this.email.fromAddress },
              }),
            },
    });
  }

  private async sendSms(row: DeliveryRow, now: Record<string, unknown>) {
    if (!this.sms) throw new SendFailure('no SMS provider is configured (SMS_PROVIDER)', true, null);
    const facts = checkedFacts(now);
    const recipientName = (now.recipientName as string | undefined) ?? '';
    const message = renderForPatient(facts, row.language ?? 'en', recipientName);
    return this.sms.send({ to: row.recipient!, text: message.sms, dedupeKey: row.dedupeKey });
  }

  private async recordFailure(row: DeliveryRow, error: Error, handed: boolean): Promise<void> {
    const permanent = error instanceof TemplateError || (error instanceof SendFailure && error.permanent);
    const answer = error instanceof SendFailure ? error.providerAnswer : null;
    const known = error instanceof TemplateError || error instanceof SendFailure;
    // Handed over and no answer: it may have arrived; a second copy is what families complain of, so it is not resent.
    const uncertain = handed && (!known || (error instanceof SendFailure && error.maybeDelivered));
    if (!known)
      this.logger.error(`delivery ${row.id} failed unexpectedly: ${errorSummary(error)}`, undefined, 'sender');
    try {
      if (uncertain) {
        await this.deliveries.markEnded(
          row,
          'UNCERTAIN',
          `${error.message}: the message may have arrived, so it is not sent again`,
          answer,
        );
      } else if (permanent || row.attempts >= MAX_SEND_ATTEMPTS) {
        const tries = row.attempts === 1 ? '1 try' : `${row.attempts} tries`;
        await this.deliveries.markEnded(
          row,
          'FAILED',
          permanent ? error.message : `${error.message} (${tries})`,
          answer,
        );
      } else {
        await this.deliveries.markRetry(row, new Date(Date.now() + retryDelayMs(row.attempts)), error.message, answer);
      }
    } catch (recording) {
      // The database is away: the row stays SENDING; when its lease runs out it is taken again if it was never handed
      // over, and turned UNCERTAIN if it was.
      this.logger.warn(`could not record the outcome of delivery ${row.id}: ${errorSummary(recording)}`, 'sender');
    }
  }
}

function metaOf(row: DeliveryRow) {
  return { tenant: row.tenant, actor: 'notification', correlationId: row.correlationId, causationId: null };
}
