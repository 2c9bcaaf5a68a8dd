export { startBillingService } from './billing-service';
export * from './config';
