// The messages, in English and Arabic, rendered from the facts a delivery carries. Pure: the same facts always give
// the same message. A fact that is missing or unusable (a time zone no one knows) is a TemplateError naming it: the
// delivery fails with that reason, and nothing else is held up.
import { z } from 'zod';
import { isIanaTimeZone, Language, MESSAGE_KINDS, MessageKind } from '@agdar/contracts';

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

const text = z.string().min(1);

/** What a message says, gathered when it is queued: from the event and what notification knows then. */
export const messageFactsSchema = z.object({
  kind: z.enum(MESSAGE_KINDS),
  clinicName: text,
  /** Absent from messages queued before it was kept, and for clinics without one: the English name is used. */
  clinicNameAr: z.string().nullable().optional(),
  appointmentNumber: text.nullable(),
  sessionNumber: text,
  serviceName: text,
  serviceNameAr: z.string().nullable(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  timezone: z.string().refine(isIanaTimeZone, 'is not an IANA time zone'),
  previousStartsAt: z.iso.datetime().nullable().optional(),
  patientName: z.string().nullable().optional(),
  availableSpots: z.number().int().nullable().optional(),
});
export type MessageFacts = z.infer<typeof messageFactsSchema>;

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  /** The SMS body: one short paragraph. */
  sms: string;
}

/** The facts, checked: a TemplateError names the first one that cannot be used. */
export function checkedFacts(facts: unknown): MessageFacts {
  const parsed = messageFactsSchema.safeParse(facts);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new TemplateError(`template variable ${issue.path.join('.')} ${issue.message}`);
}

/** A patient's message, in their language, addressed to `recipientName` (the patient, or their guardian). */
export function renderForPatient(facts: MessageFacts, language: Language, recipientName: string): RenderedMessage {
  const words = language === 'ar' ? arabic(facts) : english(facts);
  const greeting = language === 'ar' ? `مرحباً ${recipientName}،` : `Dear ${recipientName},`;
  const lines = [words.lead, ...words.details];
  const text = [greeting, '', ...lines, '', words.closing].join('\n');
  return {
    subject: words.subject,
    text,
    html: htmlOf(language, words.subject, [greeting, ...lines, words.closing]),
    sms: `${clinicNameIn(facts, language)}: ${words.sms}`,
  };
}

/** A note to the clinic's staff: both languages in one message, English first. */
export function renderForStaff(facts: MessageFacts): RenderedMessage {
  const en = english(facts);
  const ar = arabic(facts);
  const subject = `${en.subject} | ${ar.subject}`;
  const text = [en.lead, ...en.details, '', ar.lead, ...ar.details].join('\n');
  const html =
    `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>` +
    sectionOf('en', [en.lead, ...en.details]) +
    '<hr>' +
    sectionOf('ar', [ar.lead, ...ar.details]) +
    '</body></html>';
  return { subject, text, html, sms: `${en.sms} | ${ar.sms}` };
}

interface Words {
  subject: string;
  lead: string;
  details: string[];
  closing: string;
  sms: string;
}

function english(f: MessageFacts): Words {
  const when = formatWhen(f.startsAt, f.timezone, 'en');
  const service = f.serviceName;
  const number = f.appointmentNumber ?? f.sessionNumber;
  const details = [
    `Appointment: ${number}`,
    `Service: ${service}`,
    `When: ${when} (${f.timezone} time)`,
    `Clinic: ${f.clinicName}`,
  ];
  const closing = `If you cannot come, please tell ${f.clinicName} as early as you can.`;
  switch (f.kind) {
    case 'BOOKING_CONFIRMATION':
      return {
        subject: `Appointment confirmed: ${service} on ${when}`,
        lead: `Your appointment is booked.`,
        details,
        closing,
        sms: `Your ${service} appointment ${number} is booked for ${when}.`,
      };
    case 'REMINDER':
      return {
        subject: `Reminder: ${service} on ${when}`,
        lead: `This is a reminder of your appointment.`,
        details,
        closing,
        sms: `Reminder: ${service} appointment ${number} on ${when}.`,
      };
    case 'PARTICIPANT_CANCELLED':
      return {
        subject: `Appointment cancelled: ${service} on ${when}`,
        lead: `Your appointment has been cancelled.`,
        details,
        closing: `To book again, please contact ${f.clinicName}.`,
        sms: `Your ${service} appointment ${number} on ${when} is cancelled.`,
      };
    case 'SESSION_CANCELLED':
      return {
        subject: `Session cancelled by the clinic: ${service} on ${when}`,
        lead: `${f.clinicName} has cancelled this session. We are sorry for the inconvenience.`,
        details,
        closing: `To book another time, please contact ${f.clinicName}.`,
        sms: `${service} on ${when} is cancelled by the clinic (appointment ${number}).`,
      };
    case 'SESSION_RESCHEDULED': {
      const before = f.previousStartsAt ? formatWhen(f.previousStartsAt, f.timezone, 'en') : null;
      return {
        subject: `Appointment moved: ${service} now on ${when}`,
        lead: before ? `Your appointment has moved from ${before} to a new time.` : `Your appointment has moved.`,
        details,
        closing,
        sms: `Your ${service} appointment ${number} has moved to ${when}.`,
      };
    }
    case 'SESSION_FULL':
      return {
        subject: `Session full: ${f.sessionNumber}, ${service} on ${when}`,
        lead: `Session ${f.sessionNumber} is now full.`,
        details: details.slice(1),
        closing: '',
        sms: `Session ${f.sessionNumber} (${service}, ${when}) is full.`,
      };
    case 'SPOT_OPENED':
      return {
        subject: `Spot opened: ${f.sessionNumber}, ${service} on ${when}`,
        lead: `Session ${f.sessionNumber} has ${f.availableSpots ?? 1} free spot(s) again.`,
        details: details.slice(1),
        closing: '',
        sms: `Session ${f.sessionNumber} (${service}, ${when}) has a free spot.`,
      };
  }
}

/** The clinic's name as a reader of `language` reads it. */
const clinicNameIn = (f: MessageFacts, language: Language) => (language === 'ar' && f.clinicNameAr) || f.clinicName;

function arabic(f: MessageFacts): Words {
  const clinic = clinicNameIn(f, 'ar');
  const when = formatWhen(f.startsAt, f.timezone, 'ar');
  const service = f.serviceNameAr ?? f.serviceName;
  const number = f.appointmentNumber ?? f.sessionNumber;
  const details = [
    `رقم الموعد: ${number}`,
    `الخدمة: ${service}`,
    `الموعد: ${when} (بتوقيت ${f.timezone})`,
    `العيادة: ${clinic}`,
  ];
  const closing = `إذا تعذّر عليك الحضور، يُرجى إبلاغ ${clinic} في أقرب وقت.`;
  switch (f.kind) {
    case 'BOOKING_CONFIRMATION':
      return {
        subject: `تأكيد الموعد: ${service} في ${when}`,
        lead: 'تم حجز موعدك.',
        details,
        closing,
        sms: `تم حجز موعدك ${number} (${service}) في ${when}.`,
      };
    case 'REMINDER':
      return {
        subject: `تذكير: ${service} في ${when}`,
        lead: 'نذكّرك بموعدك.',
        details,
        closing,
        sms: `تذكير: موعدك ${number} (${service}) في ${when}.`,
      };
    case 'PARTICIPANT_CANCELLED':
      return {
        subject: `إلغاء الموعد: ${service} في ${when}`,
        lead: 'تم إلغاء موعدك.',
        details,
        closing: `لحجز موعد جديد يُرجى التواصل مع ${clinic}.`,
        sms: `تم إلغاء موعدك ${number} (${service}) في ${when}.`,
      };
    case 'SESSION_CANCELLED':
      return {
        subject: `ألغت العيادة الجلسة: ${service} في ${when}`,
        lead: `ألغت ${clinic} هذه الجلسة، ونعتذر عن الإزعاج.`,
        details,
        closing: `لحجز موعد آخر يُرجى التواصل مع ${clinic}.`,
        sms: `ألغت العيادة جلسة ${service} في ${when} (الموعد ${number}).`,
      };
    case 'SESSION_RESCHEDULED': {
      const before = f.previousStartsAt ? formatWhen(f.previousStartsAt, f.timezone, 'ar') : null;
      return {
        subject: `تغيير موعد: ${service} أصبح في ${when}`,
        lead: before ? `تم نقل موعدك من ${before} إلى وقت جديد.` : 'تم نقل موعدك.',
        details,
        closing,
        sms: `تم نقل موعدك ${number} (${service}) إلى ${when}.`,
      };
    }
    case 'SESSION_FULL':
      return {
        subject: `اكتملت الجلسة: ${f.sessionNumber}، ${service} في ${when}`,
        lead: `اكتمل عدد المشاركين في الجلسة ${f.sessionNumber}.`,
        details: details.slice(1),
        closing: '',
        sms: `اكتملت الجلسة ${f.sessionNumber} (${service}، ${when}).`,
      };
    case 'SPOT_OPENED':
      return {
        subject: `مقعد متاح: ${f.sessionNumber}، ${service} في ${when}`,
        lead: `أصبح في الجلسة ${f.sessionNumber} مقاعد متاحة: ${f.availableSpots ?? 1}.`,
        details: details.slice(1),
        closing: '',
        sms: `أصبح في الجلسة ${f.sessionNumber} (${service}، ${when}) مقعد متاح.`,
      };
  }
}

const whenFormats = new Map<string, Intl.DateTimeFormat>();

/** A clinic-local date and time a reader understands: Gregorian, Latin digits in Arabic too (as clinics write it). */
export function formatWhen(instant: string, timeZone: string, language: Language): string {
  const key = `${language}|${timeZone}`;
  let format = whenFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language === 'ar' ? 'ar-SA-u-ca-gregory-nu-latn' : 'en-GB', {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    whenFormats.set(key, format);
  }
  return format.format(new Date(instant));
}

function htmlOf(language: Language, title: string, paragraphs: string[]): string {
  return (
    `<!doctype html><html lang="${language}" dir="${language === 'ar' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8">` +
    `<title>${escapeHtml(title)}</title></head><body>${sectionOf(language, paragraphs)}</body></html>`
  );
}

function sectionOf(language: Language, paragraphs: string[]): string {
  const body = paragraphs
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join('');
  return `<div lang="${language}" dir="${language === 'ar' ? 'rtl' : 'ltr'}" style="font-family: Arial, sans-serif">${body}</div>`;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const STAFF_KINDS: readonly MessageKind[] = ['SESSION_FULL', 'SPOT_OPENED'];
