import { Migration0001TenantsPatients } from './migration-0001-tenants-patients';
import { Migration0002Sessions } from './migration-0002-sessions';
import { Migration0003NumberSequences } from './migration-0003-number-sequences';
import { Migration0004ReferenceDataActive } from './migration-0004-reference-data-active';
import { Migration0005PatientNamesAr } from './migration-0005-patient-names-ar';
import { Migration0006IdempotencyKeys } from './migration-0006-idempotency-keys';
import { Migration0007EarlyStart } from './migration-0007-early-start';
import { Migration0008BillingFacts } from './migration-0008-billing-facts';
import { Migration0009Imports } from './migration-0009-imports';
import { Migration0010SessionVersions } from './migration-0010-session-versions';
import { Migration0011FairTiming } from './migration-0011-fair-timing';
import { Migration0012NamesArCountry } from './migration-0012-names-ar-country';
import { Migration0013PatientsWithoutFinance } from './migration-0013-patients-without-finance';

/** In order; a migration, once released, is never edited: add the next one. */
export const schedulingMigrations = [
  { name: '0001-tenants-patients', class: Migration0001TenantsPatients },
  { name: '0002-sessions', class: Migration0002Sessions },
  { name: '0003-number-sequences', class: Migration0003NumberSequences },
  { name: '0004-reference-data-active', class: Migration0004ReferenceDataActive },
  { name: '0005-patient-names-ar', class: Migration0005PatientNamesAr },
  { name: '0006-idempotency-keys', class: Migration0006IdempotencyKeys },
  { name: '0007-early-start', class: Migration0007EarlyStart },
  { name: '0008-billing-facts', class: Migration0008BillingFacts },
  { name: '0009-imports', class: Migration0009Imports },
  { name: '0010-session-versions', class: Migration0010SessionVersions },
  { name: '0011-fair-timing', class: Migration0011FairTiming },
  { name: '0012-names-ar-country', class: Migration0012NamesArCountry },
  { name: '0013-patients-without-finance', class: Migration0013PatientsWithoutFinance },
];
