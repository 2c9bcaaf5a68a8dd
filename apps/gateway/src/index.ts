export { startGatewayService } from './gateway-service';
