export { startSchedulingService } from './scheduling-service';
