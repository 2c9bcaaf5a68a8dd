import { Migration0001TenantsPatients } from './migration-0001-tenants-patients';
import { Migration0002Sessions } from './migration-0002-sessions';
import { Migration0003NumberSequences } from './migration-0003-number-sequences';

/** In order; a migration, once released, is never edited: add the next one. */
export const schedulingMigrations = [
  { name: '0001-tenants-patients', class: Migration0001TenantsPatients },
  { name: '0002-sessions', class: Migration0002Sessions },
  { name: '0003-number-sequences', class: Migration0003NumberSequences },
];
