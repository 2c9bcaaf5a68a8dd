// Reading what patients and staff received: the run's mail sink and SMS sink, and the delivery log.
import { MailInbox, SmsInbox, testEnv } from '@agdar/testing';
import { ClinicFixture } from './clinic';

export const mailInbox = () => new MailInbox(testEnv().mailWebUrl);
export const smsInbox = () => new SmsInbox(testEnv().smsUrl);

/** An address of this clinic's own, so a test counts only its own messages in the shared sink. */
export const addressOf = (clinic: ClinicFixture, who: string) => `${who}.${clinic.tenant.toLowerCase()}@example.com`;

/** A phone number of this clinic's own: +9665 and eight digits from the tenant code and `n`. */
export function phoneOf(clinic: ClinicFixture, n: number): string {
  const digits = parseInt(clinic.tenant.slice(1, 7), 16) % 10000;
  return `+9665${String(digits).padStart(4, '0')}${String(n).padStart(4, '0')}`;
}

export interface DeliveryView {
  kind: string;
  channel: string | null;
  status: string;
  reason: string | null;
  recipient: string | null;
  language: string | null;
  attempts: number;
  providerAnswer: string | null;
  appointmentNumber: string | null;
  participantId: string | null;
  sentAt: string | null;
  notBefore: string;
}

/** The delivery log, filtered as the query says, every page. */
export async function deliveriesOf(clinic: ClinicFixture, query: Record<string, string> = {}): Promise<DeliveryView[]> {
  const items: DeliveryView[] = [];
  for (let page = 1; ; page++) {
    const search = new URLSearchParams({ ...query, page: String(page), pageSize: '100' });
    const response = await clinic.admin.get(`/notifications?${search}`);
    if (response.status !== 200) throw new Error(`the delivery log answered ${response.status}`);
    items.push(...response.body.items);
    if (items.length >= response.body.total) return items;
  }
}

/** What an iCalendar text says: its method, the attendees of its event, its sequence. */
export function calendarOf(ics: string): { method: string | null; attendees: string[]; sequence: number | null } {
  const calendar = ics.replace(/\r?\n[ \t]/g, '');
  return {
    method: /^METHOD:(\w+)/m.exec(calendar)?.[1] ?? null,
    attendees: [...calendar.matchAll(/^ATTENDEE[^\n]*mailto:([^\s\r]+)/gim)].map((m) => m[1].toLowerCase()),
    sequence: Number(/^SEQUENCE:(\d+)/m.exec(calendar)?.[1] ?? NaN),
  };
}
