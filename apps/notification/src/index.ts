export { startNotificationService } from './notification-service';
export * from './config';
