import { Controller, Delete, Get, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import {
  addPatientSchema,
  auditEntrySchema,
  availableSessionsQuerySchema,
  AvailableSessionsQuery,
  createSessionSchema,
  pageSchema,
  participantSchema,
  removeParticipantQuerySchema,
  sessionQuerySchema,
  SessionQuery,
  sessionSchema,
  updateParticipantSchema,
  updateSessionSchema,
} from '@agdar/contracts';
import { IdParam, Roles, STAFF, ValidBody, ValidQuery } from '@agdar/service-kit';
import { Endpoint } from '../openapi';
import { Upstream } from '../upstream/upstream';

@ApiTags('sessions')
@Controller('sessions')
export class SessionsRoutes {
  constructor(private readonly upstream: Upstream) {}

  @Post()
  @Roles('admin', 'reception')
  @Endpoint({
    summary: 'Create a session (INDIVIDUAL: capacity 1; GROUP: 1-20, created empty). 409 PROVIDER_CONFLICT or ROOM_CONFLICT on overlaps',
    body: createSessionSchema,
    response: sessionSchema,
    status: 201,
    problems: [404, 409, 422],
  })
  create(@Req() req: Request, @Res() res: Response, @ValidBody(createSessionSchema) body: unknown) {
    return this.upstream.forward(req, res, 'scheduling', { path: '/sessions', body });
  }

  @Get()
  @Roles(...STAFF)
  @Endpoint({ summary: 'List sessions by type, status, clinic, provider and clinic-local date range', query: sessionQuerySchema as z.ZodObject, response: pageSchema(sessionSchema) })
  list(@Req() req: Request, @Res() res: Response, @ValidQuery(sessionQuerySchema) query: SessionQuery) {
    return this.upstream.forward(req, res, 'scheduling', { path: '/sessions', query });
  }

  @Get('available')
  @Roles(...STAFF)
  @Endpoint({ summary: 'Group sessions of a clinic that have not started and have free spots', query: availableSessionsQuerySchema as z.ZodObject, response: pageSchema(sessionSchema) })
  available(@Req() req: Request, @Res() res: Response, @ValidQuery(availableSessionsQuerySchema) query: AvailableSessionsQuery) {
    return this.upstream.forward(req, res, 'scheduling', { path: '/sessions/available', query });
  }

  @Get(':id')
  @Roles(...STAFF)
  @Endpoint({ summary: 'A session with its participants', response: sessionSchema, problems: [404] })
  get(@Req() req: Request, @Res() res: Response, @IdParam() id: string) {
    return this.upstream.forward(req, res, 'scheduling', { path: `/sessions/${id}` });
  }

  @Patch(':id')
  @Roles('admin', 'reception', 'provider')
  @Endpoint({
    summary: 'Edit notes, change capacity, reschedule, start, complete or cancel (with reason) a session',
    body: updateSessionSchema,
    response: sessionSchema,
    problems: [404, 409],
  })
  update(@Req() req: Request, @Res() res: Response, @IdParam() id: string, @ValidBody(updateSessionSchema) body: unknown) {
    return this.upstream.forward(req, res, 'scheduling', { path: `/sessions/${id}`, body });
  }

  @Get(':id/history')
  @Roles('admin')
  @Endpoint({ summary: 'Audit trail of a session and its participants', response: z.array(auditEntrySchema), problems: [404] })
  history(@Req() req: Request, @Res() res: Response, @IdParam() id: string) {
    return this.upstream.forward(req, res, 'scheduling', { path: `/sessions/${id}/history` });
  }

  @Post(':id/add-patient')
  @Roles('admin', 'reception')
  @Endpoint({
    summary: 'Add a patient: 409 SESSION_FULL, ALREADY_ENROLLED, PATIENT_CONFLICT or SESSION_NOT_OPEN',
    body: addPatientSchema,
    response: participantSchema,
    status: 201,
    problems: [404, 409, 422],
  })
  addPatient(@Req() req: Request, @Res() res: Response, @IdParam() id: string, @ValidBody(addPatientSchema) body: unknown) {
    return this.upstream.forward(req, res, 'scheduling', { path: `/sessions/${id}/add-patient`, body });
  }

  @Patch(':id/participants/:pid')
  @Roles('admin', 'reception', 'provider')
  @Endpoint({
    summary: 'Change a participant: status (409 INVALID_TRANSITION, CHECK_IN_BLOCKED), no-show reason and notes, individual notes',
    body: updateParticipantSchema,
    response: participantSchema,
    problems: [404, 409],
  })
  updateParticipant(@Req() req: Request, @Res() res: Response, @IdParam() id: string, @IdParam('pid') pid: string, @ValidBody(updateParticipantSchema) body: unknown) {
    return this.upstream.forward(req, res, 'scheduling', { path: `/sessions/${id}/participants/${pid}`, body });
  }

  @Delete(':id/participants/:pid')
  @Roles('admin', 'reception')
  @Endpoint({ summary: 'Remove a participant (status CANCELLED, reason kept; frees the spot)', query: removeParticipantQuerySchema, response: participantSchema, problems: [404, 409] })
  remove(@Req() req: Request, @Res() res: Response, @IdParam() id: string, @IdParam('pid') pid: string, @ValidQuery(removeParticipantQuerySchema) query: { reason: string }) {
    return this.upstream.forward(req, res, 'scheduling', { path: `/sessions/${id}/participants/${pid}`, query });
  }
}
