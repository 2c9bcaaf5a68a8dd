// Email through nodemailer over SMTP: a pooled transport to SMTP_URL (the local sink in development and tests). Sends
// take a connection slot of ours before they are handed over, so nothing waits in nodemailer's queue, where no
// deadline of ours could reach it. A `stream` plugin (nodemailer's documented hook into the message stream) notes
// when a message's whole body has gone to the SMTP connection: a failure without the server's answer after that may
// have delivered it (the server may have taken the final dot before the line broke); a failure before it cannot.
import { connect, Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import { Accepted, SendFailure } from './channel';

export interface EmailMessage {
  to: { name: string; address: string };
  subject: string;
  text: string;
  html: string;
  /** The message's id, made from its dedupe key: a resend after a crash carries the same id. */
  messageId: string;
  /** Not strictly transactional (reminders): carries List-Unsubscribe. */
  unsubscribe: string | null;
  calendar: { method: 'REQUEST' | 'CANCEL'; content: string } | null;
  language: 'en' | 'ar';
}

export class EmailChannel implements OnApplicationShutdown {
  private readonly transport: Transporter;
  private readonly slots: ConnectionSlots;
  /** Message-IDs whose whole body has gone to the SMTP connection, while their send is in flight. */
  private readonly bodiesHanded = new Set<string>();

  constructor(
    smtpUrl: string,
    private readonly from: { name: string; address: string },
    options: { maxConnections: number; timeoutMs: number },
  ) {
    const { maxConnections, timeoutMs } = options;
    this.slots = new ConnectionSlots(maxConnections);
    this.transport = nodemailer.createTransport({
      url: smtpUrl,
      pool: true,
      maxConnections,
      getSocket: withoutNagle,
      // A send gives up well before its lease runs out, so no other sender takes a message still being sent.
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    });
    this.transport.use('stream', (mail, done) => {
      const id = String(mail.data.messageId ?? '');
      mail.message.processFunc((input) => {
        const tap = new PassThrough();
        tap.on('end', () => this.bodiesHanded.add(id));
        return input.pipe(tap);
      });
      done();
    });
  }

  get fromAddress(): string {
    return this.from.address;
  }

  /** Runs `send` once one of the pool's connections is free for it. */
  withConnection<T>(send: () => Promise<T>): Promise<T> {
    return this.slots.run(send);
  }

  async send(message: EmailMessage): Promise<Accepted> {
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
        headers: {
          'Content-Language': message.language,
          ...(message.unsubscribe ? { 'List-Unsubscribe': message.unsubscribe } : {}),
        },
        ...(message.calendar
          ? {
              icalEvent: {
                method: message.calendar.method,
                filename: message.calendar.method === 'CANCEL' ? 'cancellation.ics' : 'invitation.ics',
                content: message.calendar.content,
              },
            }
          : {}),
      });
      return { messageId: info.messageId ?? null, providerAnswer: info.response ?? 'accepted' };
    } catch (error) {
      const {
        responseCode,
        response,
        message: reason,
      } = error as {
        responseCode?: number;
        response?: string;
        message: string;
      };
      // 5xx is the server's final no (no such mailbox, refused); 4xx and no answer at all may pass. Without an answer,
      // a message whose whole body had gone may have been delivered; one whose body had not cannot have been.
      const permanent = responseCode !== undefined && responseCode >= 500;
      const maybeDelivered = responseCode === undefined && this.bodiesHanded.has(message.messageId);
      throw new SendFailure(
        `the mail server did not accept the message: ${reason}`,
        permanent,
        response ?? reason,
        maybeDelivered,
      );
    } finally {
      this.bodiesHanded.delete(message.messageId);
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}

/**
 * The connection nodemailer would open, with Nagle's algorithm off: SMTP is a conversation of small commands, and
 * with Nagle on each message waited on the server's delayed ACK (22 messages a second per connection against the local
 * sink; 330 without). TLS (smtps://, STARTTLS) is set up by nodemailer over this socket as over its own.
 */
function withoutNagle(
  options: { host?: string; port?: number; secure?: boolean },
  callback: (error: Error | null, socket?: { connection: Socket }) => void,
): void {
  const socket = connect(options.port ?? (options.secure ? 465 : 587), options.host ?? 'localhost');
  socket.setNoDelay(true);
  const failed = (error: Error) => callback(error);
  socket.once('error', failed);
  socket.once('connect', () => {
    socket.off('error', failed);
    callback(null, { connection: socket });
  });
}

/** At most `size` sends at once; the others wait their turn here, before anything is handed over. */
class ConnectionSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}
