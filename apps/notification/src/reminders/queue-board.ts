// Bull Board, the queue's web console for operators, at /queues on the notification service: delayed, waiting,
// active and failed reminder jobs, with retry and removal. It shows every tenant's jobs (ids only, no names or
// contacts), so it is the platform admin's, not a clinic's. A browser opens it once with ?token=<JWT>; the token is
// then kept in an HttpOnly cookie scoped to /queues.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { AuthUser, DomainError, problem, refusalOf, sendProblem, TokenVerifier } from '@agdar/service-kit';
import { ReminderQueue } from './reminder-queue';

export const QUEUE_BOARD_PATH = '/queues';
const COOKIE = 'queue_board_token';

export function mountQueueBoard(app: INestApplication, verifier: TokenVerifier): void {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: [new BullMQAdapter(app.get(ReminderQueue).queue)], serverAdapter: adapter });
  app.use(QUEUE_BOARD_PATH, platformAdminOnly(verifier), adapter.getRouter());
}

function platformAdminOnly(verifier: TokenVerifier) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const fromQuery = typeof req.query.token === 'string' ? req.query.token : null;
    const token = bearerOf(req) ?? fromQuery ?? cookieOf(req, COOKIE);
    if (!token) {
      return sendProblem(res, problem(401, 'UNAUTHENTICATED', 'Open the queue board with ?token=<your JWT>.'));
    }
    let user: AuthUser;
    try {
      user = await verifier.verify(token);
    } catch (error) {
      const refusal = error instanceof DomainError ? error : refusalOf(error);
      return sendProblem(res, problem(401, 'UNAUTHENTICATED', refusal.message));
    }
    if (!user.roles.includes('platform-admin')) {
      return sendProblem(res, problem(403, 'FORBIDDEN', 'The queue board is for platform admins.'));
    }
    if (fromQuery) {
      res.cookie(COOKIE, token, { httpOnly: true, sameSite: 'strict', path: QUEUE_BOARD_PATH });
      return res.redirect(req.baseUrl + req.path);
    }
    next();
  };
}

function bearerOf(req: Request): string | null {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7) : null;
}

function cookieOf(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}
