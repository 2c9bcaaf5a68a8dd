import { Migration0001TenantsPatients } from './migration-0001-tenants-patients';

/** In order; a migration, once released, is never edited: add the next one. */
export const schedulingMigrations = [{ name: '0001-tenants-patients', class: Migration0001TenantsPatients }];
