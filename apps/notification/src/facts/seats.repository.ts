// Notification's view of sessions and their seats, learnt from scheduling's facts. Sessions and seats keep the version
// of the newest fact applied to them (the sessions and participants topics are read in any interleaving): an older
// one changes nothing. Every statement is scoped by tenant.
import { Injectable } from '@nestjs/common';
import { EntityManager } from '@mikro-orm/postgresql';
import { SessionSnapshot } from '@agdar/contracts';
import { ParticipantFacts, SeatChange, SeatNow, SessionChange, SessionFacts, participantOf, sessionOf } from './facts';

@Injectable()
export class SeatsRepository {
  /**
   * Where a seat stands now, in one round trip: its status, its session's status and newest times (null: unknown),
   * and, on this channel, the start the family was last told (or may have been: an UNCERTAIN message counts as told)
   * and whether a later move supersedes move `version`.
   */
  async seatNow(
    em: EntityManager,
    row: { tenant: string; participantId: string; sessionId: string; channel: string; version?: number },
  ): Promise<SeatNow> {
    const { tenant, participantId, sessionId, channel } = row;
    const [found] = await em.execute(
      `select (select status from participants where tenant = ? and id = ?) as participant_status,
              s.status as session_status, s.starts_at, s.ends_at, s.timezone,
              (select d.facts->>'startsAt' from deliveries d
                where d.tenant = ? and d.participant_id = ? and d.channel = ? and d.status in ('SENT', 'UNCERTAIN')
                  and d.kind in ('BOOKING_CONFIRMATION', 'SESSION_RESCHEDULED', 'REMINDER')
                order by d.handed_at desc nulls last limit 1) as told_starts_at,
              exists (select 1 from deliveries d
                where d.tenant = ? and d.participant_id = ? and d.channel = ? and d.kind = 'SESSION_RESCHEDULED'
                  and (d.facts->>'version')::int > ?) as superseded
       from (select 1) as one left join sessions s on s.tenant = ? and s.id = ?`,
      [
        tenant,
        participantId,
        tenant,
        participantId,
        channel,
        tenant,
        participantId,
        channel,
        row.version ?? 0,
        tenant,
        sessionId,
      ],
    );
    return {
      participantStatus: found.participant_status,
      sessionStatus: found.session_status,
      startsAt: found.starts_at ? new Date(found.starts_at) : null,
      endsAt: found.ends_at ? new Date(found.ends_at) : null,
      timezone: found.timezone,
      toldStartsAt: found.told_starts_at ? new Date(found.told_starts_at) : null,
      superseded: found.superseded,
    };
  }
  /**
   * Applies the session's snapshot if it is newer than what is stored. Facts of one session are applied one at a
   * time (a transaction-long advisory lock on its id), so a consumer working on the other topic's partition waits, and
   * the start each sees before its own is the one the other left.
   */
  async recordSession(em: EntityManager, tenant: string, s: SessionSnapshot): Promise<SessionChange> {
    await em.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`session:${s.sessionId}`]);
    const [row] = await em.execute(
      `with previous as (select * from sessions where id = ? and tenant = ?),
       upserted as (
         insert into sessions (id, tenant, session_number, status, service_type_id, timezone, starts_at, ends_at, version)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?)
         on conflict (id) do update set status = excluded.status, service_type_id = excluded.service_type_id,
           timezone = excluded.timezone, starts_at = excluded.starts_at, ends_at = excluded.ends_at,
           version = excluded.version
         where sessions.tenant = excluded.tenant and sessions.version < excluded.version
         returning *)
       select (select row_to_json(p) from previous p) as previous, (select row_to_json(u) from upserted u) as applied`,
      [
        s.sessionId,
        tenant,
        s.sessionId,
        tenant,
        s.sessionNumber,
        s.status,
        s.serviceTypeId,
        s.timezone,
        s.startsAt,
        s.endsAt,
        s.version,
      ],
    );
    const previous = row.previous ? sessionOf(row.previous) : null;
    return { applied: !!row.applied, previous, current: row.applied ? sessionOf(row.applied) : previous };
  }
  async session(em: EntityManager, tenant: string, id: string): Promise<SessionFacts | null> {
    const [row] = await em.execute(`select * from sessions where tenant = ? and id = ?`, [tenant, id]);
    return row ? sessionOf(row) : null;
  }
  /** Applies a seat's fact (at its session's version) if it is newer than what the seat last took. */
  async recordParticipant(
    em: EntityManager,
    tenant: string,
    p: {
      participantId: string;
      sessionId: string;
      patientId: string;
      appointmentNumber: string;
      status: string;
      version: number;
    },
  ): Promise<SeatChange> {
    const [row] = await em.execute(
      `with upserted as (
         insert into participants (id, tenant, session_id, patient_id, appointment_number, status, version)
         values (?, ?, ?, ?, ?, ?, ?)
         on conflict (id) do update set status = excluded.status, version = excluded.version
         where participants.tenant = excluded.tenant and participants.version < excluded.version
         returning *)
       select (select row_to_json(u) from upserted u) as applied,
              (select row_to_json(p) from participants p where p.id = ? and p.tenant = ?) as existing`,
      [
        p.participantId,
        tenant,
        p.sessionId,
        p.patientId,
        p.appointmentNumber,
        p.status,
        p.version,
        p.participantId,
        tenant,
      ],
    );
    const current = row.applied ?? row.existing;
    return { applied: !!row.applied, current: current ? participantOf(current) : null };
  }
  async participant(em: EntityManager, tenant: string, id: string): Promise<ParticipantFacts | null> {
    const [row] = await em.execute(`select * from participants where tenant = ? and id = ?`, [tenant, id]);
    return row ? participantOf(row) : null;
  }
  async participantsOf(em: EntityManager, tenant: string, sessionId: string): Promise<ParticipantFacts[]> {
    const rows = await em.execute(`select * from participants where tenant = ? and session_id = ? order by id`, [
      tenant,
      sessionId,
    ]);
    return rows.map(participantOf);
  }
  /** The next SEQUENCE of the participant's calendar entry: each move or cancellation supersedes the last. */
  async nextCalendarSequence(em: EntityManager, tenant: string, participantId: string): Promise<number> {
    const [row] = await em.execute(
      `update participants set calendar_sequence = calendar_sequence + 1 where tenant = ? and id = ?
       returning calendar_sequence`,
      [tenant, participantId],
    );
    return row?.calendar_sequence ?? 0;
  }
}
