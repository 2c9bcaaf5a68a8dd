import 'reflect-metadata';
import { mainOf } from '@agdar/service-kit';
import { startNotificationService } from './notification-service';

mainOf('notification', startNotificationService);
