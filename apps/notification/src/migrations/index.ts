import { Migration0001Notification } from './migration-0001-notification';

/** In order; a migration, once released, is never edited: add the next one. */
export const notificationMigrations = [{ name: '0001-notification', class: Migration0001Notification }];
