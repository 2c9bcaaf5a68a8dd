export { startNotificationService } from './notification-service';
export * from './config';
export { formatWhen } from './templates/templates';
