import { MESSAGE_KINDS } from '@agdar/contracts';
import { invitationOf } from './calendar';
import { checkedFacts, MessageFacts, renderForPatient, renderForStaff, TemplateError } from './templates';

const facts = (over: Partial<MessageFacts> = {}): MessageFacts => ({
  kind: 'BOOKING_CONFIRMATION',
  clinicName: 'Agdar Olaya',
  appointmentNumber: 'APT-2026-000042',
  sessionNumber: 'SES-2026-000007',
  serviceName: 'Speech therapy',
  serviceNameAr: 'علاج النطق',
  startsAt: '2026-12-01T07:00:00.000Z',
  endsAt: '2026-12-01T08:00:00.000Z',
  timezone: 'Asia/Riyadh',
  ...over,
});

describe('templates', () => {
  it.each(MESSAGE_KINDS)('renders %s in both languages with the clinic-local time', (kind) => {
    const en = renderForPatient(facts({ kind, previousStartsAt: '2026-11-30T07:00:00.000Z' }), 'en', 'Huda');
    const ar = renderForPatient(facts({ kind, previousStartsAt: '2026-11-30T07:00:00.000Z' }), 'ar', 'هدى');
    expect(en.text).toContain('10:00'); // 07:00 UTC is 10:00 in Riyadh
    expect(ar.text).toContain('10:00');
    expect(en.html).toContain('dir="ltr"');
    expect(ar.html).toContain('dir="rtl"');
    expect(ar.html).toContain('lang="ar"');
    expect(ar.text).toContain(kind.startsWith('SESSION_FULL') || kind === 'SPOT_OPENED' ? 'SES-2026' : 'APT-2026');
    expect(en.subject).not.toBe(ar.subject);
  });

  it('writes Arabic with Gregorian dates and Latin digits, and the Arabic service name', () => {
    const ar = renderForPatient(facts(), 'ar', 'هدى');
    expect(ar.subject).toContain('علاج النطق');
    expect(ar.subject).toMatch(/2026/);
    expect(ar.sms).toContain('APT-2026-000042');
  });

  it('names the clinic in Arabic where it has an Arabic name, and in English where it has none', () => {
    const named = facts({ clinicNameAr: 'أجدر العليا' });
    const ar = renderForPatient(named, 'ar', 'هدى');
    expect(ar.text).toContain('العيادة: أجدر العليا');
    expect(ar.sms).toMatch(/^أجدر العليا: /);
    expect(ar.text).not.toContain('Agdar Olaya');
    expect(renderForPatient(named, 'en', 'Huda').sms).toMatch(/^Agdar Olaya: /);
    expect(renderForStaff({ ...named, kind: 'SESSION_FULL' }).text).toContain('أجدر العليا');
    expect(renderForPatient(facts(), 'ar', 'هدى').text).toContain('العيادة: Agdar Olaya');
  });

  it('escapes what people typed', () => {
    const en = renderForPatient(facts({ clinicName: 'A&B <Clinic>' }), 'en', '<script>');
    expect(en.html).not.toContain('<script>');
    expect(en.html).toContain('A&#38;B &#60;Clinic&#62;');
  });

  it('writes staff notes in both languages', () => {
    const note = renderForStaff(facts({ kind: 'SESSION_FULL' }));
    expect(note.subject).toBe(
      `Session full: SES-2026-000007, Speech therapy on ${note.subject.split(' on ')[1].split(' | ')[0]} | ` +
        note.subject.split(' | ')[1],
    );
    expect(note.html).toContain('dir="rtl"');
  });

  it('names the fact it cannot use', () => {
    expect(() => checkedFacts({ ...facts(), timezone: 'Mars/Olympus' })).toThrow(
      new TemplateError('template variable timezone is not an IANA time zone'),
    );
    expect(() => checkedFacts({ ...facts(), serviceName: undefined })).toThrow(/template variable serviceName/);
  });
});

describe('invitation', () => {
  const base = {
    participantId: '7d9c6a2e-52a4-4f1e-9a53-0d3f1c2b4a51',
    recipient: { name: 'Huda', email: 'huda@example.com' },
    organizer: { name: 'Agdar Olaya', email: 'no-reply@agdar.clinic' },
  };

  it('names its one attendee, with the participant as UID', () => {
    const ics = invitationOf(facts(), 'Appointment confirmed', { ...base, sequence: 0, cancel: false });
    expect(ics).toContain('METHOD:REQUEST');
    expect(ics).toContain(`UID:${base.participantId}@agdar.clinic`);
    expect(ics).toContain('SEQUENCE:0');
    expect(ics.match(/^ATTENDEE/gm)).toHaveLength(1);
    expect(ics).toContain('DTSTART:20261201T070000Z');
  });

  it('cannot be given parameters or lines by a name with quotes or line breaks', () => {
    const recipient = {
      name: 'Huda";ROLE=CHAIR;X-EVIL="1\r\nATTENDEE:mailto:all@example.com',
      email: 'huda@example.com',
    };
    const ics = invitationOf(facts(), 'Appointment confirmed', { ...base, recipient, sequence: 0, cancel: false });
    const lines = ics.replace(/\r\n /g, '').split('\r\n');
    // One attendee, whose name is one quoted value: the text of the name, nothing the calendar would read as more.
    expect(lines.filter((l) => l.startsWith('ATTENDEE'))).toEqual([
      'ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE;' +
        'CN="Huda ;ROLE=CHAIR;X-EVIL= 1 ATTENDEE:mailto:all@example.com":MAILTO:huda@example.com',
    ]);
  });

  it('cancels with the same UID and a higher sequence', () => {
    const ics = invitationOf(facts(), 'Appointment cancelled', { ...base, sequence: 2, cancel: true });
    expect(ics).toContain('METHOD:CANCEL');
    expect(ics).toContain('STATUS:CANCELLED');
    expect(ics).toContain('SEQUENCE:2');
  });
});
