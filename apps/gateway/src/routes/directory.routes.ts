import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  clinicSchema,
  createClinicSchema,
  createProviderSchema,
  createRoomSchema,
  createServiceTypeSchema,
  directoryQuerySchema,
  DirectoryQuery,
  pageSchema,
  providerSchema,
  roomSchema,
  serviceTypeSchema,
} from '@agdar/contracts';
import { Roles, STAFF, ValidBody, ValidQuery } from '@agdar/service-kit';
import { Endpoint } from '../openapi';
import { Upstream } from '../upstream/upstream';

const created = (summary: string, body: z.ZodType, response: z.ZodType) => Endpoint({ summary, body, response, status: 201, problems: [404, 409, 422] });
const listed = (summary: string, item: z.ZodType) => Endpoint({ summary, query: directoryQuerySchema, response: pageSchema(item) });

@ApiTags('reference data')
@Controller()
export class DirectoryRoutes {
  constructor(private readonly upstream: Upstream) {}

  @Post('clinics')
  @Roles('admin')
  @created('Create a clinic (with its IANA time zone)', createClinicSchema, clinicSchema)
  createClinic(@Req() req: Request, @Res() res: Response, @ValidBody(createClinicSchema) body: unknown) {
    return this.upstream.forward(req, res, 'scheduling', { path: '/clinics', body });
  }

  @Get('clinics')
  @Roles(...STAFF)
  @listed('List clinics', clinicSchema)
  listClinics(@Req() req: Request, @Res() res: Response, @ValidQuery(directoryQuerySchema) query: DirectoryQuery) {
    return this.upstream.forward(req, res, 'scheduling', { path: '/clinics', query });
  }

  @Post('rooms')
  @Roles('admin')
  @created('Create a room in a clinic', createRoomSchema, roomSchema)
  createRoom(@Req() req: Request, @Res() res: Response, @ValidBody(createRoomSchema) body: unknown) {
    return this.upstream.forward(req, res, 'scheduling', { path: '/rooms', body });
  }

  @Get('rooms')
  @Roles(...STAFF)
  @listed('List rooms, optionally of one clinic', roomSchema)
  listRooms(@Req() req: Request, @Res() res: Response, @ValidQuery(directoryQuerySchema) query: DirectoryQuery) {
    return this.upstream.forward(req, res, 'scheduling', { path: '/rooms', query });
  }

  @Post('providers')
  @Roles('admin')
  @created('Create a provider (therapist)', createProviderSchema, providerSchema)
  createProvider(@Req() req: Request, @Res() res: Response, @ValidBody(createProviderSchema) body: unknown) {
    return this.upstream.forward(req, res, 'scheduling', { path: '/providers', body });
  }

  @Get('providers')
  @Roles(...STAFF)
  @listed('List providers', providerSchema)
  listProviders(@Req() req: Request, @Res() res: Response, @ValidQuery(directoryQuerySchema) query: DirectoryQuery) {
    return this.upstream.forward(req, res, 'scheduling', { path: '/providers', query });
  }

  @Post('service-types')
  @Roles('admin')
  @created('Create a service type', createServiceTypeSchema, serviceTypeSchema)
  createServiceType(@Req() req: Request, @Res() res: Response, @ValidBody(createServiceTypeSchema) body: unknown) {
    return this.upstream.forward(req, res, 'scheduling', { path: '/service-types', body });
  }

  @Get('service-types')
  @Roles(...STAFF)
  @listed('List service types', serviceTypeSchema)
  listServiceTypes(@Req() req: Request, @Res() res: Response, @ValidQuery(directoryQuerySchema) query: DirectoryQuery) {
    return this.upstream.forward(req, res, 'scheduling', { path: '/service-types', query });
  }
}
