// The SQL of sessions and participants. Every query is scoped by tenant; hot paths (bookings) use plain SQL and
// count in the database rather than loading rows.
import { Injectable } from '@nestjs/common';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { AvailableSessionsQuery, Page, PageRequest, SessionQuery } from '@agdar/contracts';
import { notFound, pageOf, pageWindow } from '@agdar/service-kit';
import { AuditEntry } from './audit-entry.entity';
import { Participant } from './participant.entity';
import { Session } from './session.entity';
import { ACTIVE_STATUSES } from './session-rules';
import { DEFAULT_TIME_RULES, TimeRules } from './time-rules';
import { PatientNames } from './session-views';

export interface SessionWithParticipants {
  session: Session;
  participants: Participant[];
  names: PatientNames;
}

export interface PatientFlags {
  consentVerified: boolean;
}

const activeList = ACTIVE_STATUSES.map(() => '?').join(', ');

@Injectable()
export class SessionsRepository {
  constructor(private readonly orm: MikroORM) {}

  /** A fresh entity manager for reads outside a use case. */
  private reader(): EntityManager {
    return this.orm.em.fork();
  }

  /**
   * SELECT … FOR UPDATE in plain SQL (every write starts here, bookings most of all); the row becomes a managed
   * Session.
   */
  async lock(em: EntityManager, tenant: string, id: string): Promise<Session> {
    const [row] = await em.execute(`select * from sessions where id = ? and tenant = ? for update`, [id, tenant]);
    if (!row) throw notFound('Session', id);
    return em.map(Session, row);
  }

  participantsOf(em: EntityManager, sessionId: string): Promise<Participant[]> {
    return em.find(Participant, { sessionId });
  }

  async participant(em: EntityManager, tenant: string, sessionId: string, id: string): Promise<Participant> {
    const participant = await em.findOne(Participant, { id, sessionId, tenant });
    if (!participant) throw notFound('Participant', id);
    return participant;
  }

  /**
   * What scheduling knows of a patient's consent; null for a patient it does not know in this tenant.
   * Read under a share lock held until the booking commits: a consent being recorded updates this row before it looks
   * for the patient's seats, so it either waits for the booking and then finds its seat, or the booking waits for it
   * and reads the consent verified. Without the lock a consent recorded mid-booking missed that seat for good.
   */
  async patientFlags(em: EntityManager, tenant: string, patientId: string): Promise<PatientFlags | null> {
    const [patient] = await em.execute<PatientFlags[]>(
      `select consent_verified as "consentVerified" from patients where id = ? and tenant = ? for share`,
      [patientId, tenant],
    );
    return patient ?? null;
  }

  /** How early the tenant lets a session start and its patients check in, and how long no-shows wait. */
  async timeRules(tenant: string, em: EntityManager = this.reader()): Promise<TimeRules> {
    const [row] = await em.execute<TimeRules[]>(
      `select early_start_minutes as "earlyStartMinutes", no_show_grace_minutes as "noShowGraceMinutes"
       from tenants where code = ?`,
      [tenant],
    );
    return row ?? DEFAULT_TIME_RULES;
  }

  /** The names of these patients of the tenant, as the projection has them. */
  async namesOf(tenant: string, patientIds: string[], em: EntityManager = this.reader()): Promise<PatientNames> {
    if (!patientIds.length) return new Map();
    const ids = [...new Set(patientIds)];
    const rows = await em.execute<{ id: string; en: string; ar: string | null }[]>(
      `select id, display_name as en, display_name_ar as ar from patients
       where tenant = ? and id in (${ids.map(() => '?').join(', ')})`,
      [tenant, ...ids],
    );
    return new Map(rows.map((r) => [r.id, { en: r.en, ar: r.ar }]));
  }

  /** A session's active seats and whether the patient holds one: counted in the database, not loaded. */
  async seats(em: EntityManager, sessionId: string, patientId: string): Promise<{ active: number; enrolled: boolean }> {
    const [seats] = await em.execute<{ active: number; enrolled: boolean }[]>(
      `select count(*)::int as active, coalesce(bool_or(patient_id = ?), false) as enrolled
       from participants where session_id = ? and status in (${activeList})`,
      [patientId, sessionId, ...ACTIVE_STATUSES],
    );
    return seats;
  }

  activeCount(em: EntityManager, sessionId: string): Promise<number> {
    return em.count(Participant, { sessionId, status: { $in: [...ACTIVE_STATUSES] } });
  }

  async get(tenant: string, id: string): Promise<SessionWithParticipants> {
    const em = this.reader();
    const session = await em.findOne(Session, { id, tenant });
    if (!session) throw notFound('Session', id);
    const participants = await em.find(Participant, { sessionId: id, tenant });
    return {
      session,
      participants,
      names: await this.namesOf(
        tenant,
        participants.map((p) => p.patientId),
        em,
      ),
    };
  }

  async list(tenant: string, query: SessionQuery): Promise<Page<SessionWithParticipants>> {
    const dates = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lte: query.to } : {}) };
    const where = {
      tenant,
      ...(query.sessionType ? { sessionType: query.sessionType } : {}),
      ...(query.status ? { status: query.status } : {}),
      ...(query.clinicId ? { clinicId: query.clinicId } : {}),
      ...(query.providerId ? { providerId: query.providerId } : {}),
      ...(query.from || query.to ? { scheduledDate: dates } : {}),
    };
    const em = this.reader();
    const [sessions, total] = await em.findAndCount(Session, where, {
      orderBy: { startsAt: 'asc', id: 'asc' },
      ...pageWindow(query),
    });
    return pageOf(await this.withParticipants(em, tenant, sessions), total, query);
  }

  /** Group sessions of a clinic that have not started and still have a spot. */
  async available(tenant: string, query: AvailableSessionsQuery): Promise<Page<SessionWithParticipants>> {
    const em = this.reader();
    const filter = `from sessions s
      where s.tenant = ? and s.clinic_id = ? and s.session_type = 'GROUP' and s.status = 'SCHEDULED' and s.starts_at > now()
        and s.scheduled_date between ? and ? ${query.serviceTypeId ? 'and s.service_type_id = ?' : ''}
        and s.max_capacity > (select count(*) from participants p where p.session_id = s.id and p.status in (${activeList}))`;
    const params = [
      tenant,
      query.clinicId,
      query.from,
      query.to,
      ...(query.serviceTypeId ? [query.serviceTypeId] : []),
      ...ACTIVE_STATUSES,
    ];
    const [{ total }] = await em.execute<{ total: string }[]>(`select count(*) as total ${filter}`, params);
    const { limit, offset } = pageWindow(query);
    const rows = await em.execute<{ id: string }[]>(
      `select s.id ${filter} order by s.starts_at, s.id limit ? offset ?`,
      [...params, limit, offset],
    );
    const sessions = await em.find(
      Session,
      { id: { $in: rows.map((r) => r.id) }, tenant },
      { orderBy: { startsAt: 'asc', id: 'asc' } },
    );
    return pageOf(await this.withParticipants(em, tenant, sessions), Number(total), query);
  }

  async history(tenant: string, sessionId: string, page: PageRequest): Promise<Page<AuditEntry>> {
    const em = this.reader();
    if (!(await em.count(Session, { id: sessionId, tenant }))) throw notFound('Session', sessionId);
    const [entries, total] = await em.findAndCount(
      AuditEntry,
      { sessionId, tenant },
      { orderBy: { id: 'asc' }, ...pageWindow(page) },
    );
    return pageOf(entries, total, page);
  }

  private async withParticipants(
    em: EntityManager,
    tenant: string,
    sessions: Session[],
  ): Promise<SessionWithParticipants[]> {
    const ids = sessions.map((s) => s.id);
    const participants = ids.length ? await em.find(Participant, { sessionId: { $in: ids }, tenant }) : [];
    const names = await this.namesOf(
      tenant,
      participants.map((p) => p.patientId),
      em,
    );
    return sessions.map((session) => ({
      session,
      participants: participants.filter((p) => p.sessionId === session.id),
      names,
    }));
  }
}
