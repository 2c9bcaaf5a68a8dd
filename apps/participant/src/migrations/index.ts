import { Migration0001Patients } from './migration-0001-patients';
import { Migration0002Consents } from './migration-0002-consents';
import { Migration0003IdempotencyKeys } from './migration-0003-idempotency-keys';
import { Migration0004KnownTenants } from './migration-0004-known-tenants';
import { Migration0005Nationality } from './migration-0005-nationality';
import { Migration0006ExternalId } from './migration-0006-external-id';

/** In order; a migration, once released, is never edited: add the next one. */
export const participantMigrations = [
  { name: '0001-patients', class: Migration0001Patients },
  { name: '0002-consents', class: Migration0002Consents },
  { name: '0003-idempotency-keys', class: Migration0003IdempotencyKeys },
  { name: '0004-known-tenants', class: Migration0004KnownTenants },
  { name: '0005-nationality', class: Migration0005Nationality },
  { name: '0006-external-id', class: Migration0006ExternalId },
];
