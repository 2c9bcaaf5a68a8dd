import { Injectable } from '@nestjs/common';
import { CHECK_IN_CONSENT, ConsentBody, ConsentRecorded, RecordConsent } from '@agdar/contracts';
import { AuthUser, WritePath } from '@agdar/service-kit';
import { PatientsRepository } from '../patients/patients.repository';
import { Consent } from './consent.entity';

@Injectable()
export class ConsentsService {
  constructor(
    private readonly writes: WritePath,
    private readonly patients: PatientsRepository,
  ) {}

  /** Records a consent and publishes ConsentRecorded; a TREATMENT consent verifies the patient for check-in. */
  async record(user: AuthUser, patientId: string, input: RecordConsent): Promise<ConsentBody> {
    return this.writes.run(user, async ({ em, publish }) => {
      await this.patients.exists(em, user.tenant, patientId);
      const consent = em.create(Consent, {
        ...input,
        notes: input.notes ?? null,
        tenant: user.tenant,
        patientId,
        recordedBy: user.sub,
        recordedAt: new Date(),
      });
      const verified = consent.kind === CHECK_IN_CONSENT;
      await publish(ConsentRecorded, {
        patientId,
        consentId: consent.id,
        kind: consent.kind,
        grantedBy: consent.grantedBy,
        verified,
      });
      return toConsentBody(consent);
    });
  }
}

function toConsentBody(c: Consent): ConsentBody {
  return {
    id: c.id,
    patientId: c.patientId,
    kind: c.kind as ConsentBody['kind'],
    grantedBy: c.grantedBy,
    relationship: c.relationship,
    notes: c.notes ?? null,
    recordedBy: c.recordedBy,
    recordedAt: c.recordedAt.toISOString(),
  };
}
