// Use cases of the patient register: register and change (publishing PatientRegistered and PatientUpdated through the
// outbox), read, search.
import { Injectable } from '@nestjs/common';
import { LockMode } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { channelProblems, EventData, Page, PatientBody, PatientQuery, PatientRegistered, PatientUpdated, RegisterPatient, UpdatePatient } from '@agdar/contracts';
import { addToOutbox, OutboxRelay } from '@agdar/messaging';
import { AuthUser, DomainError, metaOf, notFound } from '@agdar/service-kit';
import { Patient } from './patient.entity';

@Injectable()
export class PatientsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly relay: OutboxRelay,
  ) {}

  async register(user: AuthUser, input: RegisterPatient): Promise<PatientBody> {
    const patient = await this.orm.em.fork().transactional(async (em) => {
      const created = em.create(Patient, { ...input, tenant: user.tenant, createdAt: new Date(), updatedAt: new Date() });
      await addToOutbox(em, PatientRegistered, patientRegisteredData(created), metaOf(user));
      return created;
    });
    this.relay.nudge();
    return toPatientBody(patient);
  }

  /**
   * Applies the fields given; a change that changes nothing writes nothing and publishes nothing. The row is locked
   * so that concurrent changes of one patient publish their events in the order they committed.
   */
  async update(user: AuthUser, id: string, input: UpdatePatient): Promise<PatientBody> {
    const patient = await this.orm.em.fork().transactional(async (em) => {
      const patient = await em.findOne(Patient, { id, tenant: user.tenant }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!patient) throw notFound('Patient', id);
      const changedFields = (Object.keys(input) as (keyof UpdatePatient)[]).filter((field) => !sameValue(patient[field], input[field] ?? null));
      if (!changedFields.length) return patient;
      const next = { ...patientRegisteredData(patient), ...input };
      const problems = channelProblems(next);
      if (problems.length) {
        throw new DomainError('VALIDATION_FAILED', `The patient could not be reached on a chosen channel: ${problems.join('; ')}.`, problems.map((message) => ({ field: 'channels', message })));
      }
      em.assign(patient, Object.fromEntries(changedFields.map((field) => [field, input[field] ?? null])));
      await addToOutbox(em, PatientUpdated, { ...patientRegisteredData(patient), changedFields }, metaOf(user));
      return patient;
    });
    this.relay.nudge();
    return toPatientBody(patient);
  }

  async get(user: AuthUser, id: string): Promise<PatientBody> {
    const patient = await this.orm.em.fork().findOne(Patient, { id, tenant: user.tenant });
    if (!patient) throw notFound('Patient', id);
    return toPatientBody(patient);
  }

  async search(user: AuthUser, query: PatientQuery): Promise<Page<PatientBody>> {
    const like = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const where = like
      ? {
          tenant: user.tenant,
          $or: [
            { firstNameEn: { $ilike: like } },
            { lastNameEn: { $ilike: like } },
            { firstNameAr: { $ilike: like } },
            { lastNameAr: { $ilike: like } },
            { email: { $ilike: like } },
            { phone: { $ilike: like } },
          ],
        }
      : { tenant: user.tenant };
    const [patients, total] = await this.orm.em.fork().findAndCount(Patient, where, {
      orderBy: { lastNameEn: 'asc', firstNameEn: 'asc', id: 'asc' },
      limit: query.pageSize,
      offset: (query.page - 1) * query.pageSize,
    });
    return { items: patients.map(toPatientBody), total, page: query.page, pageSize: query.pageSize };
  }
}

function patientRegisteredData(p: Patient): EventData<typeof PatientRegistered> {
  return {
    patientId: p.id,
    firstNameEn: p.firstNameEn,
    lastNameEn: p.lastNameEn,
    firstNameAr: p.firstNameAr ?? null,
    lastNameAr: p.lastNameAr ?? null,
    dateOfBirth: p.dateOfBirth,
    email: p.email ?? null,
    phone: p.phone ?? null,
    preferredLanguage: p.preferredLanguage,
    channels: p.channels,
    guardian: p.guardian ?? null,
  };
}

/** Values compare by content: a guardian read back from jsonb has its keys in another order, and no empty ones. */
function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== null && v !== undefined);
    return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, canonical(v)]));
  }
  return value ?? null;
}

export function toPatientBody(p: Patient): PatientBody {
  return {
    id: p.id,
    firstNameEn: p.firstNameEn,
    lastNameEn: p.lastNameEn,
    firstNameAr: p.firstNameAr ?? null,
    lastNameAr: p.lastNameAr ?? null,
    dateOfBirth: p.dateOfBirth,
    email: p.email ?? null,
    phone: p.phone ?? null,
    preferredLanguage: p.preferredLanguage,
    channels: p.channels,
    guardian: p.guardian ?? null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
