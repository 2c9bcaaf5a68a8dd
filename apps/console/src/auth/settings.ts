// How this platform signs its users in, as the gateway tells the console (GET /console-settings.json).
import type { Role } from '@agdar/contracts/browser';

export interface DemoUser {
  id: string;
  name: string;
  nameAr: string;
  roles: Role[];
}

export type ConsoleSettings =
  | { signIn: 'development'; tenant: string; users: DemoUser[] }
  | { signIn: 'oidc'; authority: string; clientId: string; scope: string }
  | { signIn: 'none' };

let settings: Promise<ConsoleSettings> | null = null;

export function consoleSettings(): Promise<ConsoleSettings> {
  settings ??= fetch('/console-settings.json', { headers: { accept: 'application/json' } }).then((r) => {
    if (!r.ok) throw new Error(`console settings answered ${r.status}`);
    return r.json() as Promise<ConsoleSettings>;
  });
  return settings;
}
