// Sending one claimed delivery: still wanted? rendered in its language, handed to its channel, and recorded. A
// confirmation the server or provider accepted is told to scheduling (ConfirmationSent) in the same transaction that
// marks it SENT. A failure that may pass is tried again later; one that will not, or the last try, is FAILED with the
// provider's answer. Nothing here throws: one bad message never holds up the next.
import { createHash } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { ConfirmationSent } from '@agdar/contracts';
import { JsonLogger, WritePath } from '@agdar/service-kit';
import { SendFailure } from '../channels/channel';
import { EmailChannel } from '../channels/email';
import { SmsProvider } from '../channels/sms';
import { FactsRepository } from '../facts/facts.repository';
import { invitationOf } from '../templates/calendar';
import { checkedFacts, renderForPatient, renderForStaff, STAFF_KINDS, TemplateError } from '../templates/templates';
import { DeliveriesRepository, DeliveryRow } from './deliveries.repository';
import { isActiveParticipant, MAX_SEND_ATTEMPTS, retryDelayMs } from './message-rules';

export const SMS_PROVIDER = Symbol('SMS_PROVIDER');

@Injectable()
export class DeliveryService {
  constructor(
    private readonly deliveries: DeliveriesRepository,
    private readonly facts: FactsRepository,
    private readonly email: EmailChannel,
    @Optional() @Inject(SMS_PROVIDER) private readonly sms: SmsProvider | null,
    private readonly writes: WritePath,
    private readonly orm: MikroORM,
    private readonly logger: JsonLogger,
  ) {}

  async deliver(row: DeliveryRow): Promise<void> {
    try {
      const unwanted = await this.whyNotWanted(row);
      if (unwanted) return await this.deliveries.markEnded(row.id, 'SKIPPED', unwanted);
      const accepted = row.channel === 'email' ? await this.sendEmail(row) : await this.sendSms(row);
      await this.writes.runAs(metaOf(row), async (ctx) => {
        await this.deliveries.markSent(ctx.em, row.id, accepted);
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
    } catch (error) {
      await this.recordFailure(row, error as Error);
    }
  }

  /** A confirmation or reminder held (quiet hours, retries) is dropped if its seat no longer expects the session. */
  private async whyNotWanted(row: DeliveryRow): Promise<string | null> {
    if (row.kind !== 'BOOKING_CONFIRMATION' && row.kind !== 'REMINDER') return null;
    const em = this.orm.em.fork() as EntityManager;
    const seat = await this.facts.seatNow(em, row.tenant, row.participantId!, row.sessionId!);
    if (seat.participantStatus && !isActiveParticipant(seat.participantStatus)) {
      return `participant ${seat.participantStatus.toLowerCase()}`;
    }
    if (seat.sessionStatus === 'CANCELLED') return 'session cancelled';
    if (row.kind === 'REMINDER' && seat.startsAt && seat.startsAt.toISOString() !== row.facts.startsAt) {
      return 'session moved: the reminder of the new time goes instead';
    }
    return null;
  }

  private async sendEmail(row: DeliveryRow) {
    const facts = checkedFacts(row.facts);
    const staff = STAFF_KINDS.includes(row.kind);
    const recipientName = (row.facts.recipientName as string | undefined) ?? row.recipient!;
    const message = staff ? renderForStaff(facts) : renderForPatient(facts, row.language ?? 'en', recipientName);
    const cancel = row.facts.calendarCancel === true;
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
                sequence: (row.facts.calendarSequence as number | undefined) ?? 0,
                cancel,
                recipient: { name: recipientName, email: row.recipient! },
                organizer: { name: facts.clinicName, email: this.email.fromAddress },
              }),
            },
    });
  }

  private async sendSms(row: DeliveryRow) {
    if (!this.sms) throw new SendFailure('no SMS provider is configured (SMS_PROVIDER)', true, null);
    const facts = checkedFacts(row.facts);
    const recipientName = (row.facts.recipientName as string | undefined) ?? '';
    const message = renderForPatient(facts, row.language ?? 'en', recipientName);
    return this.sms.send({ to: row.recipient!, text: message.sms, dedupeKey: row.dedupeKey });
  }

  private async recordFailure(row: DeliveryRow, error: Error): Promise<void> {
    const permanent = error instanceof TemplateError || (error instanceof SendFailure && error.permanent);
    const answer = error instanceof SendFailure ? error.providerAnswer : null;
    const known = error instanceof TemplateError || error instanceof SendFailure;
    if (!known) this.logger.error(`delivery ${row.id} failed unexpectedly: ${error.message}`, undefined, 'sender');
    try {
      if (permanent || row.attempts >= MAX_SEND_ATTEMPTS) {
        const tries = row.attempts === 1 ? '1 try' : `${row.attempts} tries`;
        await this.deliveries.markEnded(
          row.id,
          'FAILED',
          permanent ? error.message : `${error.message} (${tries})`,
          answer,
        );
      } else {
        await this.deliveries.markRetry(
          row.id,
          new Date(Date.now() + retryDelayMs(row.attempts)),
          error.message,
          answer,
        );
      }
    } catch (recording) {
      // The database is away: the row stays SENDING and is taken again when its lease runs out.
      this.logger.warn(`could not record the outcome of delivery ${row.id}: ${(recording as Error).message}`, 'sender');
    }
  }
}

function metaOf(row: DeliveryRow) {
  return { tenant: row.tenant, actor: 'notification', correlationId: row.correlationId, causationId: null };
}
