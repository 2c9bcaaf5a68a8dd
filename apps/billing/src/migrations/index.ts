import { Migration0001Billing } from './migration-0001-billing';
import { Migration0002SessionFacts } from './migration-0002-session-facts';
import { Migration0003SellerNameAr } from './migration-0003-seller-name-ar';

/** In order; a migration, once released, is never edited: add the next one. */
export const billingMigrations = [
  { name: '0001-billing', class: Migration0001Billing },
  { name: '0002-session-facts', class: Migration0002SessionFacts },
  { name: '0003-seller-name-ar', class: Migration0003SellerNameAr },
];
