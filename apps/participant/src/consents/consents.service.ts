import { Injectable } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { CHECK_IN_CONSENT, ConsentBody, ConsentRecorded, RecordConsent } from '@agdar/contracts';
import { addToOutbox, OutboxRelay } from '@agdar/messaging';
import { AuthUser, metaOf, notFound } from '@agdar/service-kit';
import { Patient } from '../patients/patient.entity';
import { Consent } from './consent.entity';

@Injectable()
export class ConsentsService {
  constructor(
    private readonly orm: MikroORM,
    private readonly relay: OutboxRelay,
  ) {}

  /** Records a consent and publishes ConsentRecorded; a TREATMENT consent verifies the patient for check-in. */
  async record(user: AuthUser, patientId: string, input: RecordConsent): Promise<ConsentBody> {
    const consent = await this.orm.em.fork().transactional(async (em) => {
      if (!(await em.count(Patient, { id: patientId, tenant: user.tenant }))) throw notFound('Patient', patientId);
      const consent = em.create(Consent, { ...input, notes: input.notes ?? null, tenant: user.tenant, patientId, recordedBy: user.sub, recordedAt: new Date() });
      await addToOutbox(
        em,
        ConsentRecorded,
        { patientId, consentId: consent.id, kind: consent.kind, grantedBy: consent.grantedBy, verified: consent.kind === CHECK_IN_CONSENT },
        metaOf(user),
      );
      return consent;
    });
    this.relay.nudge();
    return toConsentBody(consent);
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
