// The queries of the patient register, each scoped by tenant.
import { Injectable } from '@nestjs/common';
import { LockMode } from '@mikro-orm/core';
import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Page, PatientQuery } from '@agdar/contracts';
import { notFound, pageOf, pageWindow } from '@agdar/service-kit';
import { Patient } from './patient.entity';

@Injectable()
export class PatientsRepository {
  constructor(private readonly orm: MikroORM) {}

  /** The patient, locked for the rest of `em`'s transaction; 404 when it is not the tenant's. */
  async lock(em: EntityManager, tenant: string, id: string): Promise<Patient> {
    const patient = await em.findOne(Patient, { id, tenant }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!patient) throw notFound('Patient', id);
    return patient;
  }

  async exists(em: EntityManager, tenant: string, id: string): Promise<void> {
    if (!(await em.count(Patient, { id, tenant }))) throw notFound('Patient', id);
  }

  async get(tenant: string, id: string): Promise<Patient> {
    const patient = await this.orm.em.fork().findOne(Patient, { id, tenant });
    if (!patient) throw notFound('Patient', id);
    return patient;
  }

  /**
   * Patients whose names (either script), email or phone contain the search text, and with the external id asked for;
   * all of the tenant without either.
   */
  async search(tenant: string, query: PatientQuery): Promise<Page<Patient>> {
    const like = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const fields = ['firstNameEn', 'lastNameEn', 'firstNameAr', 'lastNameAr', 'email', 'phone'] as const;
    const where = {
      tenant,
      ...(like ? { $or: fields.map((field) => ({ [field]: { $ilike: like } })) } : {}),
      ...(query.externalId ? { externalId: query.externalId } : {}),
    };
    const [patients, total] = await this.orm.em.fork().findAndCount(Patient, where, {
      orderBy: { lastNameEn: 'asc', firstNameEn: 'asc', id: 'asc' },
      ...pageWindow(query),
    });
    return pageOf(patients, total, query);
  }
}
