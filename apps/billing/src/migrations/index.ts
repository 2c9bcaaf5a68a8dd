import { Migration0001Billing } from './migration-0001-billing';

/** In order; a migration, once released, is never edited: add the next one. */
export const billingMigrations = [{ name: '0001-billing', class: Migration0001Billing }];
