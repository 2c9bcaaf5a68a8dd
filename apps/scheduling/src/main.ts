import 'reflect-metadata';
import { mainOf } from '@agdar/service-kit';
import { startSchedulingService } from './scheduling-service';

mainOf('scheduling', startSchedulingService);
