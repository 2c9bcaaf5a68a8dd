import 'reflect-metadata';
import { mainOf } from '@agdar/service-kit';
import { startGatewayService } from './gateway-service';

mainOf('gateway', startGatewayService);
