import { Controller, Delete, Get, Patch, Post } from '@nestjs/common';
import {
  AddPatient,
  addPatientSchema,
  AvailableSessionsQuery,
  availableSessionsQuerySchema,
  CreateSession,
  createSessionSchema,
  removeParticipantQuerySchema,
  SessionQuery,
  sessionQuerySchema,
  UpdateParticipant,
  updateParticipantSchema,
  UpdateSession,
  updateSessionSchema,
} from '@agdar/contracts';
import { AuthUser, CurrentUser, IdParam, Roles, STAFF, ValidBody, ValidQuery } from '@agdar/service-kit';
import { SessionsService } from './sessions.service';

@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post()
  @Roles('admin', 'reception')
  create(@CurrentUser() user: AuthUser, @ValidBody(createSessionSchema) body: CreateSession) {
    return this.sessions.createSession(user, body);
  }

  @Get()
  @Roles(...STAFF)
  list(@CurrentUser() user: AuthUser, @ValidQuery(sessionQuerySchema) query: SessionQuery) {
    return this.sessions.listSessions(user, query);
  }

  @Get('available')
  @Roles(...STAFF)
  available(@CurrentUser() user: AuthUser, @ValidQuery(availableSessionsQuerySchema) query: AvailableSessionsQuery) {
    return this.sessions.availableSessions(user, query);
  }

  @Get(':id')
  @Roles(...STAFF)
  get(@CurrentUser() user: AuthUser, @IdParam() id: string) {
    return this.sessions.getSession(user, id);
  }

  @Patch(':id')
  @Roles('admin', 'reception', 'provider')
  update(@CurrentUser() user: AuthUser, @IdParam() id: string, @ValidBody(updateSessionSchema) body: UpdateSession) {
    return this.sessions.updateSession(user, id, body);
  }

  @Get(':id/history')
  @Roles('admin')
  history(@CurrentUser() user: AuthUser, @IdParam() id: string) {
    return this.sessions.history(user, id);
  }

  @Post(':id/add-patient')
  @Roles('admin', 'reception')
  addPatient(@CurrentUser() user: AuthUser, @IdParam() id: string, @ValidBody(addPatientSchema) body: AddPatient) {
    return this.sessions.addPatient(user, id, body);
  }

  @Patch(':id/participants/:pid')
  @Roles('admin', 'reception', 'provider')
  updateParticipant(@CurrentUser() user: AuthUser, @IdParam() id: string, @IdParam('pid') pid: string, @ValidBody(updateParticipantSchema) body: UpdateParticipant) {
    return this.sessions.updateParticipant(user, id, pid, body);
  }

  @Delete(':id/participants/:pid')
  @Roles('admin', 'reception')
  remove(@CurrentUser() user: AuthUser, @IdParam() id: string, @IdParam('pid') pid: string, @ValidQuery(removeParticipantQuerySchema) query: { reason: string }) {
    return this.sessions.removeParticipant(user, id, pid, query.reason);
  }
}
