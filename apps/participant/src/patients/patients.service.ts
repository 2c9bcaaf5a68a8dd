// Use cases of the patient register: register (and publish PatientRegistered through the outbox), read, search.
import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { EventData, Page, PatientBody, PatientQuery, PatientRegistered, RegisterPatient } from '@agdar/contracts';
import { addToOutbox, OutboxRelay } from '@agdar/messaging';
import { AuthUser, metaOf, notFound } from '@agdar/service-kit';
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
      addToOutbox(em, PatientRegistered, patientRegisteredData(created), metaOf(user));
      return created;
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
