// The staff console, served by the gateway at `/` (the API stays under /api): its built files, gzipped and with long
// caching for the hashed assets; the page itself for every other path the browser asks for (its routes live in the
// page), under a content security policy that lets it load nothing but its own files; and the sign-in settings it
// reads first.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import compression from 'compression';
import express, { NextFunction, Request, Response } from 'express';
import { INestApplication } from '@nestjs/common';
import { GatewayConfig } from '../config';
import { DEV_USERS } from './dev-sign-in';

/** What the console asks before it shows anything: how its users sign in. */
export type ConsoleSettings =
  | { signIn: 'development'; tenant: string; users: typeof DEV_USERS }
  | { signIn: 'oidc'; authority: string; clientId: string; scope: string }
  | { signIn: 'none' };

export function consoleSettingsOf(config: GatewayConfig): ConsoleSettings {
  if (config.DEV_SIGN_IN_TENANT) return { signIn: 'development', tenant: config.DEV_SIGN_IN_TENANT, users: DEV_USERS };
  if (config.OIDC_ISSUER && config.OIDC_CLIENT_ID)
    return { signIn: 'oidc', authority: config.OIDC_ISSUER, clientId: config.OIDC_CLIENT_ID, scope: config.OIDC_SCOPE };
  return { signIn: 'none' };
}

const NOT_THE_CONSOLE = /^\/(api|health)(\/|$)/;

export function contentSecurityPolicy(config: GatewayConfig): string {
  const identityProvider = config.OIDC_ISSUER ? ` ${new URL(config.OIDC_ISSUER).origin}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Ant Design writes its styles at run time (CSS-in-JS): inline styles, no inline scripts.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${identityProvider}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    `form-action 'self'${identityProvider}`,
    "object-src 'none'",
  ].join('; ');
}

export function mountConsole(app: INestApplication, config: GatewayConfig): void {
  const dir = resolve(config.CONSOLE_DIR ?? join(__dirname, '..', '..', '..', 'console', 'dist'));
  const index = join(dir, 'index.html');
  const policy = contentSecurityPolicy(config);
  const settings = consoleSettingsOf(config);

  app.use('/console-settings.json', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    res.json(settings);
  });
  // The console's scripts go gzipped (a third of their size); the API's answers are left to the ingress.
  app.use('/assets', compression());
  app.use(
    '/assets',
    express.static(join(dir, 'assets'), {
      index: false,
      setHeaders: (res) => res.setHeader('cache-control', 'public, max-age=31536000, immutable'),
    }),
  );
  // An asset of an older build (a tab left open across a deployment): say so, rather than serve the page as script.
  app.use('/assets', (_req: Request, res: Response) => {
    res.status(404).type('text/plain').send('No such console file: the console was updated; reload the page.\n');
  });
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_THE_CONSOLE.test(req.path)) return next();
    if (!req.accepts('html')) return next();
    res.setHeader('content-security-policy', policy);
    res.setHeader('cache-control', 'no-cache');
    if (!existsSync(index)) {
      res
        .status(503)
        .type('text/plain')
        .send(`The staff console is not built (no ${index}): run npm run build:console, then reload.\n`);
      return;
    }
    res.sendFile(index);
  });
}
