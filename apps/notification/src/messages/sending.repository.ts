// The sender's side of the deliveries table. Senders claim due rows with SKIP LOCKED, a lease and a claim id of their
// own, so replicas share the work. Every mark names the claim that holds the row: a sender whose row was taken from
// it changes nothing. A row is stamped `handed_at` in the one statement before it goes to the provider; a sender that
// dies after that leaves it UNCERTAIN when its lease runs out (perhaps received: never sent again), one that dies
// before leaves it to be taken.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { deliveryOf, DeliveryRow, TIME_KINDS } from './deliveries.repository';

@Injectable()
export class SendingRepository {
  constructor(private readonly orm: MikroORM) {}

  /**
   * Claims up to `limit` rows due now, and rows whose sender's lease ran out before it handed them to the provider:
   * SENDING under a new claim id, one more attempt, leased for `leaseSeconds`. Rows whose lease ran out after they were
   * handed over are turned UNCERTAIN in the same statement. Committed before anything is sent.
   *
   * The messages that tell a family a time (confirmation, move, reminder) go one at a time per seat and channel: one
   * is not claimed while another is in flight, nor two in one claim, and claims take turns across replicas (an advisory
   * lock held for the one statement). A move decides what to say from what was last told, so it must see that sent.
   */
  async claimDue(limit: number, leaseSeconds: number): Promise<DeliveryRow[]> {
    return (this.orm.em.fork() as EntityManager).transactional(async (em) => {
      await em.execute(`select pg_advisory_xact_lock(hashtextextended('notification-claims', 0))`);
      const rows = await em.execute(
        `with uncertain as (
           update deliveries set status = 'UNCERTAIN', lease_until = null, updated_at = now(),
             reason = 'the sender stopped after handing the message to the provider: it may have arrived, so it is not sent again'
           where status = 'SENDING' and lease_until < now() and handed_at is not null),
         due as (
           select id, kind in (${TIME_KINDS}) as tells_time, participant_id, channel, not_before, created_at
           from deliveries d
           where channel is not null and not_before <= now()
             and (status = 'QUEUED' or (status = 'SENDING' and lease_until < now() and handed_at is null))
             and not (kind in (${TIME_KINDS}) and exists (
               select 1 from deliveries o
               where o.participant_id = d.participant_id and o.channel = d.channel and o.id <> d.id
                 and o.kind in (${TIME_KINDS}) and o.status = 'SENDING' and o.lease_until >= now()))
           order by not_before
           limit ?),
         picked as (
           select id from (
             select id, tells_time, not_before,
               row_number() over (partition by tells_time, case when tells_time then participant_id end,
                 case when tells_time then channel end order by not_before, created_at) as turn
             from due) t
           where not tells_time or turn = 1
           order by not_before
           limit ?)
         update deliveries set status = 'SENDING', attempts = attempts + 1, updated_at = now(),
           lease_until = now() + make_interval(secs => ?), claim_id = ?, handed_at = null
         where id in (select id from picked)
           and (status = 'QUEUED' or (status = 'SENDING' and lease_until < now() and handed_at is null))
         returning *`,
        [limit * 4, limit, leaseSeconds, randomUUID()],
      );
      return rows.map(deliveryOf);
    });
  }
  /**
   * The fencing check before a send: stamps the row handed over, with the start and end its message tells, if this
   * claim still holds it with at least `budgetSeconds` of lease left. Otherwise the row is put back to be claimed
   * again (if still ours): false.
   */
  async markHanded(row: DeliveryRow, budgetSeconds: number, told: Record<string, unknown>): Promise<boolean> {
    const connection = this.orm.em.getConnection();
    const handed = await connection.execute(
      `update deliveries set handed_at = now(), facts = facts || ?::jsonb
       where id = ? and claim_id = ? and status = 'SENDING' and lease_until > now() + make_interval(secs => ?)
       returning id`,
      [JSON.stringify(told), row.id, row.claimId, budgetSeconds],
    );
    if (handed.length > 0) return true;
    await connection.execute(
      `update deliveries set status = 'QUEUED', lease_until = null, claim_id = null, attempts = attempts - 1,
         updated_at = now()
       where id = ? and claim_id = ? and status = 'SENDING' and handed_at is null`,
      [row.id, row.claimId],
    );
    return false;
  }
  /** Accepted by the provider: SENT with its answer. */
  async markSent(em: EntityManager, row: DeliveryRow, answer: { messageId: string | null; providerAnswer: string }) {
    await em.execute(
      `update deliveries set status = 'SENT', sent_at = now(), updated_at = now(), lease_until = null,
         provider_answer = ?, provider_message_id = ?, reason = null
       where id = ? and claim_id = ? and status in ('SENDING', 'UNCERTAIN')`,
      [answer.providerAnswer.slice(0, 500), answer.messageId, row.id, row.claimId],
    );
  }
  async markRetry(row: DeliveryRow, notBefore: Date, reason: string, providerAnswer: string | null): Promise<void> {
    await this.orm.em.getConnection().execute(
      `update deliveries set status = 'QUEUED', not_before = ?, lease_until = null, updated_at = now(), reason = ?,
         provider_answer = ?, claim_id = null, handed_at = null
       where id = ? and claim_id = ? and status = 'SENDING'`,
      [notBefore, reason, providerAnswer, row.id, row.claimId],
    );
  }
  async markEnded(
    row: DeliveryRow,
    status: 'FAILED' | 'SKIPPED' | 'UNCERTAIN',
    reason: string,
    providerAnswer: string | null = null,
  ): Promise<void> {
    await this.orm.em.getConnection().execute(
      `update deliveries set status = ?, reason = ?, provider_answer = coalesce(?, provider_answer),
         lease_until = null, updated_at = now()
       where id = ? and claim_id = ? and status in ('SENDING', 'UNCERTAIN')`,
      [status, reason.slice(0, 500), providerAnswer?.slice(0, 500) ?? null, row.id, row.claimId],
    );
  }
}
