import { Migration0001Patients } from './migration-0001-patients';

/** In order; a migration, once released, is never edited: add the next one. */
export const participantMigrations = [{ name: '0001-patients', class: Migration0001Patients }];
