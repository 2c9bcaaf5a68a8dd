// SMS behind one small interface, with the adapter of a Saudi provider: Taqnyat's REST API (POST /v1/messages with a
// bearer token; recipients in international format without + or 00; the body in UTF-8, Arabic included; a registered
// sender name of at most 11 characters). Our dedupe key goes as the message's `deleteId`, the one reference of ours
// Taqnyat's API takes (a number, kept with the message), so a message can be traced to its delivery row at the
// provider. Development and tests point TAQNYAT_URL at the local SMS sink, which speaks the same API.
import { createHash } from 'node:crypto';
import { Accepted, SendFailure } from './channel';

export interface SmsProvider {
  readonly name: string;
  send(message: { to: string; text: string; dedupeKey: string }): Promise<Accepted>;
}

export interface TaqnyatSettings {
  url: string;
  token: string;
  sender: string;
  timeoutMs?: number;
}

export class TaqnyatSms implements SmsProvider {
  readonly name = 'taqnyat';

  constructor(private readonly settings: TaqnyatSettings) {}

  async send(message: { to: string; text: string; dedupeKey: string }): Promise<Accepted> {
    let response: Response;
    try {
      response = await fetch(new URL('/v1/messages', this.settings.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${this.settings.token}`, 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({
          recipients: [internationalWithoutPlus(message.to)],
          body: message.text,
          sender: this.settings.sender,
          deleteId: referenceOf(message.dedupeKey),
        }),
        signal: AbortSignal.timeout(this.settings.timeoutMs ?? 10_000),
      });
    } catch (error) {
      // Refused before the request went (no connection): safe to try again; anything after may have reached it.
      const refused = connectionRefused(error);
      throw new SendFailure(`the SMS provider did not answer: ${(error as Error).message}`, false, null, !refused);
    }
    const answer = await response.text();
    if (response.status === 200 || response.status === 201) {
      const body = parseJson(answer);
      return {
        messageId: body?.messageId != null ? String(body.messageId) : null,
        providerAnswer: answer.slice(0, 500),
      };
    }
    // Refused (bad number, sender not approved, no balance, bad token) is final; throttled or down may pass.
    const permanent = response.status >= 400 && response.status < 500 && response.status !== 429;
    throw new SendFailure(
      `the SMS provider answered ${response.status}`,
      permanent,
      `${response.status} ${answer}`.slice(0, 500),
    );
  }
}

/** Our dedupe key as the positive 48-bit number Taqnyat's `deleteId` takes: the same key always gives the same one. */
export function referenceOf(dedupeKey: string): number {
  return parseInt(createHash('sha1').update(dedupeKey).digest('hex').slice(0, 12), 16);
}

function connectionRefused(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string } }).cause;
  return ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(cause?.code ?? '');
}

/** +966501234567 → 966501234567, as Taqnyat wants numbers. */
export function internationalWithoutPlus(phone: string): string {
  return phone.replace(/^\+|^00/, '');
}

function parseJson(text: string): { messageId?: unknown } | null {
  try {
    return JSON.parse(text) as { messageId?: unknown };
  } catch {
    return null;
  }
}
