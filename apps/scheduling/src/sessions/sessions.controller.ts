import { Controller } from '@nestjs/common';
import { EndpointInput, SessionsApi } from '@agdar/contracts';
import { AuthUser, CurrentUser, Implements, Input } from '@agdar/service-kit';
import { ParticipantsService } from './participants.service';
import { SessionsService } from './sessions.service';

type In<E extends keyof typeof SessionsApi> = EndpointInput<(typeof SessionsApi)[E]>;

@Controller()
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly participants: ParticipantsService,
  ) {}

  @Implements(SessionsApi.createSession)
  create(@CurrentUser() user: AuthUser, @Input() { body }: In<'createSession'>) {
    return this.sessions.createSession(user, body);
  }

  @Implements(SessionsApi.listSessions)
  list(@CurrentUser() user: AuthUser, @Input() { query }: In<'listSessions'>) {
    return this.sessions.listSessions(user, query);
  }

  @Implements(SessionsApi.availableSessions)
  available(@CurrentUser() user: AuthUser, @Input() { query }: In<'availableSessions'>) {
    return this.sessions.availableSessions(user, query);
  }

  @Implements(SessionsApi.getSession)
  get(@CurrentUser() user: AuthUser, @Input() { params }: In<'getSession'>) {
    return this.sessions.getSession(user, params.id);
  }

  @Implements(SessionsApi.updateSession)
  update(@CurrentUser() user: AuthUser, @Input() { params, body }: In<'updateSession'>) {
    return this.sessions.updateSession(user, params.id, body);
  }

  @Implements(SessionsApi.sessionHistory)
  history(@CurrentUser() user: AuthUser, @Input() { params, query }: In<'sessionHistory'>) {
    return this.sessions.history(user, params.id, query);
  }

  @Implements(SessionsApi.addPatient)
  addPatient(@CurrentUser() user: AuthUser, @Input() { params, body }: In<'addPatient'>) {
    return this.participants.addPatient(user, params.id, body);
  }

  @Implements(SessionsApi.updateParticipant)
  updateParticipant(@CurrentUser() user: AuthUser, @Input() { params, body }: In<'updateParticipant'>) {
    return this.participants.updateParticipant(user, params.id, params.pid, body);
  }

  @Implements(SessionsApi.removeParticipant)
  remove(@CurrentUser() user: AuthUser, @Input() { params, query }: In<'removeParticipant'>) {
    return this.participants.removeParticipant(user, params.id, params.pid, query);
  }
}
