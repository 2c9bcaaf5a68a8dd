// The gateway's routes, derived from the endpoint declarations: one handler per declared endpoint that validates the
// request with the endpoint's schemas (the caller's token and roles were checked by the guards before it) and forwards
// it to the owning service. Nothing here is written per endpoint: a new endpoint is a new declaration.
import { Controller, Inject, RequestMapping, RequestMethod, Req, Res, Type } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AnyEndpoint, concretePathOf, routePathOf } from '@agdar/contracts';
import { parseEndpointInput, Roles, SetEndpoint } from '@agdar/service-kit';
import { Upstream } from './upstream/upstream';

/** A Nest controller with one route per endpoint, each forwarding to the endpoint's service. */
export function gatewayRoutesFor(endpoints: readonly AnyEndpoint[]): Type {
  class GatewayRoutes {
    constructor(readonly upstream: Upstream) {}
  }
  Inject(Upstream)(GatewayRoutes, undefined as never, 0);
  Controller()(GatewayRoutes);
  for (const endpoint of endpoints) {
    const forward = function (this: GatewayRoutes, req: Request, res: Response) {
      const { params, query, body } = parseEndpointInput(endpoint, req);
      const path = concretePathOf(endpoint, params as Record<string, unknown>);
      return this.upstream.forward(req, res, endpoint.service, {
        method: endpoint.method,
        path,
        query,
        body,
        location: endpoint.location,
      });
    };
    Object.defineProperty(forward, 'name', { value: endpoint.operationId });
    Object.defineProperty(GatewayRoutes.prototype, endpoint.operationId, {
      value: forward,
      writable: true,
      configurable: true,
    });
    const descriptor = Object.getOwnPropertyDescriptor(GatewayRoutes.prototype, endpoint.operationId)!;
    Req()(GatewayRoutes.prototype, endpoint.operationId, 0);
    Res()(GatewayRoutes.prototype, endpoint.operationId, 1);
    for (const decorate of [
      RequestMapping({ path: routePathOf(endpoint), method: RequestMethod[endpoint.method] }),
      Roles(...endpoint.roles),
      SetEndpoint(endpoint),
    ]) {
      decorate(GatewayRoutes.prototype, endpoint.operationId, descriptor);
    }
  }
  return GatewayRoutes;
}
