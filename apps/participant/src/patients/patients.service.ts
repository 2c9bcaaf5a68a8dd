// Use cases of the patient register: register and change (publishing PatientRegistered and PatientUpdated through the
// outbox), read, search.
import { Injectable } from '@nestjs/common';
import {
  channelProblems,
  EventData,
  Page,
  PatientBody,
  PatientQuery,
  PatientRegistered,
  PatientUpdated,
  RegisterPatient,
  UpdatePatient,
} from '@agdar/contracts';
import { AuthUser, DomainError, mapPage, WritePath } from '@agdar/service-kit';
import { Patient } from './patient.entity';
import { PatientsRepository } from './patients.repository';

@Injectable()
export class PatientsService {
  constructor(
    private readonly writes: WritePath,
    private readonly patients: PatientsRepository,
  ) {}

  async register(user: AuthUser, input: RegisterPatient): Promise<PatientBody> {
    return this.writes.run(user, async ({ em, publish }) => {
      const created = em.create(Patient, {
        ...input,
        tenant: user.tenant,
        createdAt: new Date(),
        updatedAt: new Date(),
      });
      await publish(PatientRegistered, patientRegisteredData(created));
      return toPatientBody(created);
    });
  }

  /**
   * Applies the fields given; a change that changes nothing writes nothing and publishes nothing. The row is locked
   * so that concurrent changes of one patient publish their events in the order they committed.
   */
  async update(user: AuthUser, id: string, input: UpdatePatient): Promise<PatientBody> {
    const patient = await this.writes.run(user, async ({ em, publish }) => {
      const patient = await this.patients.lock(em, user.tenant, id);
      const fields = Object.keys(input) as (keyof UpdatePatient)[];
      const changedFields = fields.filter((field) => !sameValue(patient[field], input[field] ?? null));
      if (!changedFields.length) return patient;
      const problems = channelProblems({ ...patientRegisteredData(patient), ...input });
      if (problems.length) {
        const detail = `The patient could not be reached on a chosen channel: ${problems.join('; ')}.`;
        throw new DomainError(
          'VALIDATION_FAILED',
          detail,
          problems.map((message) => ({ field: 'channels', message })),
        );
      }
      em.assign(patient, Object.fromEntries(changedFields.map((field) => [field, input[field] ?? null])));
      await publish(PatientUpdated, { ...patientRegisteredData(patient), changedFields });
      return patient;
    });
    return toPatientBody(patient);
  }

  async get(user: AuthUser, id: string): Promise<PatientBody> {
    return toPatientBody(await this.patients.get(user.tenant, id));
  }

  async search(user: AuthUser, query: PatientQuery): Promise<Page<PatientBody>> {
    return mapPage(await this.patients.search(user.tenant, query), toPatientBody);
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
    nationality: p.nationality ?? null,
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
  const { patientId, ...facts } = patientRegisteredData(p);
  return {
    id: patientId,
    ...facts,
    nationality: facts.nationality ?? null,
    externalId: p.externalId ?? null,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
