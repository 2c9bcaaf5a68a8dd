// Development sign-in: the demo users of one tenant, one per role, and `POST /api/dev/token`, which signs a token for
// one of them with JWT_SECRET. It is mounted only when DEV_SIGN_IN_TENANT is set, which the configuration refuses
// with NODE_ENV=production or with an identity provider's JWKS_URL: in production nobody can mint a token here.
import { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import { problem, sendProblem, signToken } from '@agdar/service-kit';
import type { Role } from '@agdar/contracts';

export interface DevUser {
  id: string;
  name: string;
  nameAr: string;
  roles: Role[];
}

export const DEV_USERS: DevUser[] = [
  { id: 'demo-admin', name: 'Amal Al-Harbi', nameAr: 'أمل الحربي', roles: ['admin'] },
  { id: 'demo-reception', name: 'Reem Al-Qahtani', nameAr: 'ريم القحطاني', roles: ['reception'] },
  { id: 'demo-provider', name: 'Dr. Sara Al-Otaibi', nameAr: 'د. سارة العتيبي', roles: ['provider'] },
  { id: 'demo-billing', name: 'Khalid Al-Shehri', nameAr: 'خالد الشهري', roles: ['billing'] },
];

const TOKEN_HOURS = 8;
const requestSchema = z.strictObject({ userId: z.enum(DEV_USERS.map((u) => u.id) as [string, ...string[]]) });

export function mountDevSignIn(app: INestApplication, settings: { tenant: string; secret: string }): void {
  app.use('/api/dev/token', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST') return next();
    const parsed = requestSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const ids = DEV_USERS.map((u) => u.id).join(', ');
      return sendProblem(
        res,
        problem(400, 'VALIDATION_FAILED', `Name a demo user to sign in as: one of ${ids}.`, [
          { field: 'userId', message: `must be one of ${ids}` },
        ]),
      );
    }
    const user = DEV_USERS.find((u) => u.id === parsed.data.userId)!;
    const expiresIn = TOKEN_HOURS * 3600;
    const token = signToken(settings.secret, { sub: user.id, tenant: settings.tenant, roles: user.roles }, expiresIn);
    res.status(201).json({ token, expiresAt: new Date(Date.now() + expiresIn * 1000).toISOString(), user });
  });
}
