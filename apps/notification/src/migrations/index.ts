import { Migration0001Notification } from './migration-0001-notification';
import { Migration0002VersionsAndClaims } from './migration-0002-versions-and-claims';
import { Migration0003TenantNameAr } from './migration-0003-tenant-name-ar';

/** In order; a migration, once released, is never edited: add the next one. */
export const notificationMigrations = [
  { name: '0001-notification', class: Migration0001Notification },
  { name: '0002-versions-and-claims', class: Migration0002VersionsAndClaims },
  { name: '0003-tenant-name-ar', class: Migration0003TenantNameAr },
];
