// Fields not every caller of an endpoint reads (clinical notes for the billing team): the endpoint's declaration says
// who receives each (`readableBy`), and this interceptor leaves the others out of every answer of the service,
// replays of an idempotent POST included. The gateway relays what the service answered.
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { visibleTo } from '@agdar/contracts';
import { AuthUser } from './auth';
import { endpointOf } from './endpoint';

@Injectable()
export class FieldAccessInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const readableBy = endpointOf(context.getHandler())?.readableBy;
    if (!readableBy) return next.handle();
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    return next.handle().pipe(map((body) => visibleTo(body, readableBy, user?.roles ?? [])));
  }
}
