import {
  addressingOf,
  dedupeKeyOf,
  isUrgent,
  maskContactsIn,
  maskRecipient,
  reminderId,
  reminderSchedule,
  retryDelayMs,
  seatMessageNow,
  sendableFrom,
} from './message-rules';
import type { Contact, SeatNow } from '../facts/facts';

const contact = (over: Partial<Contact> = {}): Contact => ({
  patientId: '7d9c6a2e-52a4-4f1e-9a53-0d3f1c2b4a51',
  nameEn: 'Omar Test',
  nameAr: 'عمر',
  email: 'omar@example.com',
  phone: '+966501234567',
  language: 'en',
  channels: ['email'],
  guardianName: null,
  guardianEmail: null,
  guardianPhone: null,
  ...over,
});

describe('addressingOf', () => {
  it('sends on each chosen channel to the patient', () => {
    expect(addressingOf(contact({ channels: ['email', 'sms'] }))).toEqual([
      { channel: 'email', recipient: 'omar@example.com', recipientName: 'Omar Test', language: 'en' },
      { channel: 'sms', recipient: '+966501234567', recipientName: 'Omar Test', language: 'en' },
    ]);
  });

  it("sends a child's messages to the guardian, in the patient's language, falling back to the patient's address", () => {
    const child = contact({
      language: 'ar',
      channels: ['email', 'sms'],
      guardianName: 'هدى',
      guardianEmail: 'huda@example.com',
    });
    expect(addressingOf(child)).toEqual([
      { channel: 'email', recipient: 'huda@example.com', recipientName: 'هدى', language: 'ar' },
      { channel: 'sms', recipient: '+966501234567', recipientName: 'هدى', language: 'ar' },
    ]);
  });

  it('skips a channel without an address and a patient who chose no channel, saying why', () => {
    expect(addressingOf(contact({ email: null }))).toEqual([
      { channel: 'email', skip: 'no email address', language: 'en' },
    ]);
    expect(addressingOf(contact({ channels: [] }))).toEqual([
      { channel: null, skip: 'opted out: the patient chose no channel', language: 'en' },
    ]);
  });
});

describe('sendableFrom (quiet hours 21:00-08:00 in Riyadh, UTC+3)', () => {
  const quiet = { start: '21:00', end: '08:00', timezone: 'Asia/Riyadh' };
  const at = (iso: string) => new Date(iso);

  it('holds a non-urgent SMS inside the window until it ends, across midnight', () => {
    const lateEvening = at('2026-11-25T19:30:00Z'); // 22:30 local
    expect(sendableFrom(lateEvening, { channel: 'sms', urgent: false }, quiet)).toEqual(at('2026-11-26T05:00:00Z'));
    const earlyMorning = at('2026-11-26T02:00:00Z'); // 05:00 local
    expect(sendableFrom(earlyMorning, { channel: 'sms', urgent: false }, quiet)).toEqual(at('2026-11-26T05:00:00Z'));
  });

  it('sends at once outside the window, urgent messages, email, and when there are no quiet hours', () => {
    const noon = at('2026-11-25T09:00:00Z');
    const night = at('2026-11-25T19:30:00Z');
    expect(sendableFrom(noon, { channel: 'sms', urgent: false }, quiet)).toBe(noon);
    expect(sendableFrom(night, { channel: 'sms', urgent: true }, quiet)).toBe(night);
    expect(sendableFrom(night, { channel: 'email', urgent: false }, quiet)).toBe(night);
    expect(sendableFrom(night, { channel: 'sms', urgent: false }, null)).toBe(night);
  });

  it('handles a window within one day', () => {
    const lunch = { start: '13:00', end: '14:00', timezone: 'Asia/Riyadh' };
    expect(sendableFrom(at('2026-11-25T10:15:00Z'), { channel: 'sms', urgent: false }, lunch)).toEqual(
      at('2026-11-25T11:00:00Z'),
    );
  });
});

describe('reminders', () => {
  const startsAt = new Date('2026-12-01T07:00:00Z');

  it('owes one reminder per offset still in the future, with ids that come out the same every time', () => {
    const now = new Date('2026-11-30T06:00:00Z'); // 25 h before
    const owed = reminderSchedule('p-1', startsAt, [86400, 7200], now);
    expect(owed.map((r) => r.fireAt.toISOString())).toEqual(['2026-11-30T07:00:00.000Z', '2026-12-01T05:00:00.000Z']);
    expect(owed.map((r) => r.id)).toEqual(reminderSchedule('p-1', startsAt, [86400, 7200], now).map((r) => r.id));
    expect(reminderSchedule('p-1', startsAt, [86400, 7200], new Date('2026-12-01T00:00:00Z'))).toHaveLength(1);
  });

  it('gives a moved session new reminder ids, and another participant other ids', () => {
    const id = reminderId('p-1', 7200, startsAt);
    expect(reminderId('p-1', 7200, new Date('2026-12-01T08:00:00Z'))).not.toBe(id);
    expect(reminderId('p-2', 7200, startsAt)).not.toBe(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('sending', () => {
  it('backs off 10 s, 40 s, 160 s, then every 10 minutes', () => {
    expect([1, 2, 3, 4, 5].map(retryDelayMs)).toEqual([10_000, 40_000, 160_000, 600_000, 600_000]);
  });

  it('masks recipients in the log', () => {
    expect(maskRecipient('layla@example.com')).toBe('l***@example.com');
    expect(maskRecipient('+966501234567')).toBe('+96650*****67');
  });

  it("masks the numbers and addresses a provider's answer echoes, as the recipient is masked", () => {
    const answer = '{"statusCode":201,"accepted":"[966501234567,]","rejected":"[]","to":"layla@example.com"}';
    expect(maskContactsIn(answer)).toBe(
      '{"statusCode":201,"accepted":"[966501****67,]","rejected":"[]","to":"l***@example.com"}',
    );
    expect(maskContactsIn('250 2.0.0 Ok: queued as 4BX3Dk')).toBe('250 2.0.0 Ok: queued as 4BX3Dk');
  });

  it('treats cancellations and moves as urgent, confirmations and reminders not', () => {
    expect(isUrgent('SESSION_CANCELLED')).toBe(true);
    expect(isUrgent('SESSION_RESCHEDULED')).toBe(true);
    expect(isUrgent('REMINDER')).toBe(false);
    expect(isUrgent('BOOKING_CONFIRMATION')).toBe(false);
  });

  it('keys a message by its cause, subject and channel', () => {
    expect(dedupeKeyOf('event-1', 'p-1', 'sms')).toBe('event-1/p-1/sms');
    expect(dedupeKeyOf('event-1', 'p-1', null)).toBe('event-1/p-1/any');
  });
});

describe('reminderSchedule with a repeated offset kept from before', () => {
  it('owes one reminder for it, not two with one id (which failed every booking of the tenant)', () => {
    const startsAt = new Date('2030-01-01T10:00:00Z');
    const owed = reminderSchedule('p1', startsAt, [3600, 3600, 7200], new Date('2029-12-31T00:00:00Z'));
    expect(owed.map((r) => r.offsetSeconds)).toEqual([3600, 7200]);
    expect(new Set(owed.map((r) => r.id)).size).toBe(2);
  });
});

describe('seatMessageNow', () => {
  const T1 = new Date('2030-03-01T07:00:00Z');
  const T2 = new Date('2030-03-02T07:00:00Z');
  const seat = (over: Partial<SeatNow> = {}): SeatNow => ({
    participantStatus: 'BOOKED',
    sessionStatus: 'SCHEDULED',
    startsAt: T1,
    endsAt: new Date(T1.getTime() + 3600_000),
    timezone: 'Asia/Riyadh',
    toldStartsAt: null,
    superseded: false,
    ...over,
  });
  const queued = (kind: string, startsAt = T2) => ({ kind, facts: { startsAt: startsAt.toISOString(), kind } });
  const skip = (reason: RegExp) => ({ skip: expect.stringMatching(reason) });

  it.each([
    [
      'a confirmation to a cancelled seat',
      queued('BOOKING_CONFIRMATION'),
      seat({ participantStatus: 'CANCELLED' }),
      skip(/cancelled/),
    ],
    [
      'a confirmation in a cancelled session',
      queued('BOOKING_CONFIRMATION'),
      seat({ sessionStatus: 'CANCELLED' }),
      skip(/session cancelled/),
    ],
    ['a reminder owed for another start', queued('REMINDER', T2), seat(), skip(/session moved/)],
    [
      'a move superseded by a later one',
      queued('SESSION_RESCHEDULED'),
      seat({ toldStartsAt: T2, superseded: true }),
      skip(/later move/),
    ],
    ['a move before anything was told', queued('SESSION_RESCHEDULED'), seat(), skip(/no time told yet/)],
    [
      'a move back to the time told',
      queued('SESSION_RESCHEDULED'),
      seat({ toldStartsAt: T1 }),
      skip(/already has this time/),
    ],
    [
      'a move to a cancelled seat',
      queued('SESSION_RESCHEDULED'),
      seat({ participantStatus: 'CANCELLED', toldStartsAt: T2 }),
      skip(/cancelled/),
    ],
  ])('skips %s', (_label, row, state, expected) => {
    expect(seatMessageNow(row, state)).toEqual(expected);
  });

  it('sends a confirmation queued with an old time with the session as it stands now', () => {
    expect(seatMessageNow(queued('BOOKING_CONFIRMATION', T2), seat())).toEqual({
      facts: expect.objectContaining({ startsAt: T1.toISOString(), timezone: 'Asia/Riyadh' }),
    });
  });

  it('tells a move from the start the family was told to the start it has now', () => {
    expect(seatMessageNow(queued('SESSION_RESCHEDULED'), seat({ toldStartsAt: T2 }))).toEqual({
      facts: expect.objectContaining({ startsAt: T1.toISOString(), previousStartsAt: T2.toISOString() }),
    });
  });

  it("sends a cancellation to a cancelled seat, at the session's newest time", () => {
    expect(seatMessageNow(queued('PARTICIPANT_CANCELLED'), seat({ participantStatus: 'CANCELLED' }))).toEqual({
      facts: expect.objectContaining({ startsAt: T1.toISOString() }),
    });
  });
});
