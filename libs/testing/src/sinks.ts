// Where messages land in development and tests instead of real inboxes and phones: MailDev (a maintained SMTP sink
// with a web inbox and a REST API) for email, and a local SMS sink that speaks Taqnyat's REST API (POST /v1/messages
// with a bearer token), stores what it accepts and shows it at /messages (JSON) and / (a page).
import { ChildProcess, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { eventually } from './eventually';
import { repoRoot } from './infrastructure';

export interface MailSink {
  smtpUrl: string;
  webUrl: string;
  stop(): Promise<void>;
}

/** MailDev in a process of its own, on the given ports (web inbox and REST API on `webPort`). */
export async function startMailSink(smtpPort: number, webPort: number): Promise<MailSink> {
  const bin = join(repoRoot, 'node_modules', 'maildev', 'bin', 'maildev');
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, '--smtp', String(smtpPort), '--web', String(webPort), '--ip', '127.0.0.1', '--silent'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const webUrl = `http://127.0.0.1:${webPort}`;
  await eventually(
    async () => (await fetch(`${webUrl}/healthz`).catch(() => null))?.ok === true,
    'MailDev to start',
    20000,
  );
  return {
    smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
    webUrl,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface InboxEmail {
  id: string;
  subject: string;
  text: string;
  html: string;
  to: { address: string; name: string }[];
  headers: Record<string, string>;
  messageId: string;
  /** When the sink received it. */
  date: string;
  attachments: { contentType: string; generatedFileName: string; fileName?: string }[] | null;
}

/** What MailDev received, read through its REST API. */
export class MailInbox {
  constructor(private readonly webUrl: string) {}

  async to(address: string): Promise<InboxEmail[]> {
    const response = await fetch(`${this.webUrl}/email?to.address=${encodeURIComponent(address)}`);
    return (await response.json()) as InboxEmail[];
  }

  /** Every message received, of every test: filter by recipient. */
  async all(): Promise<InboxEmail[]> {
    return (await (await fetch(`${this.webUrl}/email`)).json()) as InboxEmail[];
  }

  /** The message's iCalendar attachment, decoded; null when it has none. */
  async calendar(email: InboxEmail): Promise<string | null> {
    const part = email.attachments?.find((a) => /^(text\/calendar|application\/ics)/.test(a.contentType));
    if (!part) return null;
    return (await fetch(`${this.webUrl}/email/${email.id}/attachment/${part.generatedFileName}`)).text();
  }
}

export interface SmsRecord {
  messageId: number;
  recipients: string[];
  body: string;
  sender: string;
  receivedAt: string;
}

export interface SmsSink {
  url: string;
  stop(): Promise<void>;
}

/** The local SMS sink, speaking Taqnyat's API, in this process. `token` is the bearer token it accepts. */
export async function startSmsSink(port: number, token: string, host = '127.0.0.1'): Promise<SmsSink> {
  const received: SmsRecord[] = [];
  let faults: { count: number; status: number; body: unknown } | null = null;
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: Error) => send(res, 500, { statusCode: 500, message: error.message }));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sink');
    if (req.method === 'POST' && url.pathname === '/v1/messages') {
      if (req.headers.authorization !== `Bearer ${token}`) {
        return send(res, 401, { statusCode: 401, message: 'Unauthorized: check the bearer token' });
      }
      if (faults && faults.count > 0) {
        faults.count--;
        return send(res, faults.status, faults.body);
      }
      const body = JSON.parse(await textOf(req)) as { recipients?: unknown; body?: unknown; sender?: unknown };
      const recipients = Array.isArray(body.recipients) ? body.recipients.map(String) : [];
      if (recipients.length === 0 || recipients.some((r) => !/^[1-9]\d{7,14}$/.test(r))) {
        return send(res, 400, { statusCode: 400, message: 'recipients must be international numbers without + or 00' });
      }
      if (typeof body.body !== 'string' || body.body.length === 0) {
        return send(res, 400, { statusCode: 400, message: 'body is required' });
      }
      if (typeof body.sender !== 'string' || body.sender.length === 0 || body.sender.length > 11) {
        return send(res, 400, { statusCode: 400, message: 'sender must be an approved name of at most 11 characters' });
      }
      const record: SmsRecord = {
        messageId: randomInt(1e9, 1e10),
        recipients,
        body: body.body,
        sender: body.sender,
        receivedAt: new Date().toISOString(),
      };
      received.push(record);
      const parts = Math.ceil(record.body.length / (/^[\x20-\x7e\n]*$/.test(record.body) ? 153 : 67));
      return send(res, 201, {
        statusCode: 201,
        messageId: record.messageId,
        cost: 0.05 * parts * recipients.length,
        currency: 'SAR',
        totalCount: recipients.length,
        msgLength: parts,
        accepted: `[${recipients.join(',')},]`,
        rejected: '[]',
      });
    }
    // Test control: the next `count` sends are answered with `status` and `body` (a provider's refusal or outage).
    if (req.method === 'POST' && url.pathname === '/control/fail-next') {
      faults = JSON.parse(await textOf(req)) as { count: number; status: number; body: unknown };
      return send(res, 204, null);
    }
    if (req.method === 'GET' && url.pathname === '/messages') {
      const to = url.searchParams.get('to');
      return send(res, 200, to ? received.filter((m) => m.recipients.includes(to)) : received);
    }
    if (req.method === 'GET' && url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return void res.end(pageOf(received));
    }
    send(res, 404, { statusCode: 404, message: 'not found' });
  }
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** What the SMS sink received, read through its /messages endpoint. */
export class SmsInbox {
  constructor(private readonly url: string) {}

  /** Messages to a number, given as the patient's record has it (+966...). */
  async to(phone: string): Promise<SmsRecord[]> {
    const response = await fetch(`${this.url}/messages?to=${encodeURIComponent(phone.replace(/^\+/, ''))}`);
    return (await response.json()) as SmsRecord[];
  }

  /** The provider's next `count` answers are `status` with `body`: a refusal, or an outage. */
  async failNext(count: number, status: number, body: unknown): Promise<void> {
    await fetch(`${this.url}/control/fail-next`, { method: 'POST', body: JSON.stringify({ count, status, body }) });
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(status === 204 ? undefined : JSON.stringify(body));
}

function textOf(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function pageOf(messages: SmsRecord[]): string {
  const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows = messages
    .slice()
    .reverse()
    .map(
      (m) =>
        `<tr><td>${escape(m.receivedAt)}</td><td>${escape(m.sender)}</td><td>${escape(m.recipients.join(', '))}</td>` +
        `<td dir="auto">${escape(m.body)}</td></tr>`,
    )
    .join('');
  return (
    '<!doctype html><html><head><meta charset="utf-8"><title>SMS sink</title>' +
    '<style>body{font-family:sans-serif}td,th{border-bottom:1px solid #ddd;padding:4px 8px;text-align:start}</style>' +
    `</head><body><h1>SMS sink: ${messages.length} message(s)</h1>` +
    `<table><tr><th>Received</th><th>Sender</th><th>To</th><th>Text</th></tr>${rows}</table></body></html>`
  );
}
