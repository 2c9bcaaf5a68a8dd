import 'reflect-metadata';
import { mainOf } from '@agdar/service-kit';
import { startBillingService } from './billing-service';

mainOf('billing', startBillingService);
