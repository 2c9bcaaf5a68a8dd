// Bull Board, the queue's web console for operators, at /queues on the notification service: delayed, waiting,
// active and failed reminder jobs, with retry and removal. It shows every tenant's jobs (ids only, no names or
// contacts), so it is the platform admin's, not a clinic's. A browser signs in once by posting a token to the form
// /queues answers (never in the address, where proxies and histories keep it); the token is then kept in a cookie
// that is HttpOnly, Secure, SameSite=Strict, scoped to /queues and no longer-lived than the token.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { INestApplication } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import jwt from 'jsonwebtoken';
import { AuthUser, DomainError, problem, refusalOf, sendProblem, TokenVerifier } from '@agdar/service-kit';
import { ReminderQueue } from './reminder-queue';

export const QUEUE_BOARD_PATH = '/queues';
const COOKIE = 'queue_board_token';
export const QUEUE_BOARD_SIGN_IN = `${QUEUE_BOARD_PATH}/sign-in`;
const SIGN_IN = QUEUE_BOARD_SIGN_IN;

const SIGN_IN_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Queue board</title></head>
<body><form method="post" action="${SIGN_IN}"><label>Platform admin token <input name="token" type="password"
required autocomplete="off"></label> <button>Open the queue board</button></form></body></html>`;

export function mountQueueBoard(app: INestApplication, verifier: TokenVerifier): void {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: [new BullMQAdapter(app.get(ReminderQueue).queue)], serverAdapter: adapter });
  app.use(SIGN_IN, express.urlencoded({ extended: false, limit: '16kb' }), signIn(verifier));
  app.use(QUEUE_BOARD_PATH, platformAdminOnly(verifier), adapter.getRouter());
}

/** POST /queues/sign-in with `token`: a platform admin's token becomes the board's cookie. */
function signIn(verifier: TokenVerifier) {
  return async (req: Request, res: Response) => {
    if (req.method !== 'POST') return res.redirect(QUEUE_BOARD_PATH);
    const token = typeof req.body?.token === 'string' ? req.body.token.trim() : '';
    if (!(await admitted(verifier, token, res))) return;
    const exp = (jwt.decode(token) as { exp?: number } | null)?.exp; // verified above: it has one
    const expiresAt = new Date((exp ?? Date.now() / 1000 + 3600) * 1000);
    res.cookie(COOKIE, token, {
      httpOnly: true,
      secure: true, // browsers keep Secure cookies of http://localhost too
      sameSite: 'strict',
      path: QUEUE_BOARD_PATH,
      expires: expiresAt,
    });
    res.redirect(303, QUEUE_BOARD_PATH);
  };
}

/** The caller the token names if it is a platform admin's; otherwise the refusal is sent and null returned. */
async function admitted(verifier: TokenVerifier, token: string, res: Response): Promise<AuthUser | null> {
  let user: AuthUser;
  try {
    user = await verifier.verify(token);
  } catch (error) {
    const refusal = error instanceof DomainError ? error : refusalOf(error);
    sendProblem(res, problem(401, 'UNAUTHENTICATED', refusal.message));
    return null;
  }
  if (!user.roles.includes('platform-admin')) {
    sendProblem(res, problem(403, 'FORBIDDEN', 'The queue board is for platform admins.'));
    return null;
  }
  return user;
}

function platformAdminOnly(verifier: TokenVerifier) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const token = bearerOf(req) ?? cookieOf(req, COOKIE);
    if (!token) {
      // A browser gets the sign-in form; anything else the one-line problem.
      if (req.accepts(['json', 'html']) === 'html') return res.status(401).type('html').send(SIGN_IN_PAGE);
      return sendProblem(
        res,
        problem(401, 'UNAUTHENTICATED', `Sign in at ${QUEUE_BOARD_PATH} with a platform admin's token.`),
      );
    }
    if (await admitted(verifier, token, res)) next();
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
