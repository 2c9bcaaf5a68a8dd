// What each problem the API can answer means to a person, in both languages. The English line is the API's own detail
// where it gives one (it names the session, the amount, the time); the Arabic line says the same for the code. Typed
// by the contracts' codes, so a new code does not build until it is worded here.
import type { ProblemCode } from '@agdar/contracts/browser';
import type { Language } from './messages';

export const PROBLEM_TEXT: Record<ProblemCode | 'NETWORK', { en: string; ar: string }> = {
  NETWORK: {
    en: 'The platform cannot be reached; check the connection.',
    ar: 'تعذّر الوصول إلى المنصة؛ تحقّق من الاتصال.',
  },
  VALIDATION_FAILED: { en: 'Some fields need correcting.', ar: 'بعض الحقول تحتاج إلى تصحيح.' },
  MALFORMED_JSON: { en: 'The request could not be read.', ar: 'تعذّرت قراءة الطلب.' },
  PAYLOAD_TOO_LARGE: { en: 'What was sent is too large.', ar: 'البيانات المرسلة أكبر من المسموح.' },
  UNAUTHENTICATED: { en: 'Your sign-in has ended; sign in again.', ar: 'انتهت جلستك؛ سجّل الدخول مرة أخرى.' },
  FORBIDDEN: { en: 'Your role does not allow this.', ar: 'صلاحياتك لا تسمح بهذا الإجراء.' },
  NOT_FOUND: { en: 'This record does not exist.', ar: 'هذا السجل غير موجود.' },
  METHOD_NOT_ALLOWED: { en: 'This action is not available here.', ar: 'هذا الإجراء غير متاح هنا.' },
  UNSUPPORTED_MEDIA_TYPE: {
    en: 'The request was sent in a form the platform does not take.',
    ar: 'أُرسل الطلب بصيغة غير مقبولة.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    en: 'This request was already sent differently; try again.',
    ar: 'أُرسل هذا الطلب سابقًا بشكل مختلف؛ أعد المحاولة.',
  },
  RATE_LIMITED: {
    en: 'Too many requests; wait a minute and try again.',
    ar: 'طلبات كثيرة؛ انتظر دقيقة ثم أعد المحاولة.',
  },
  SERVICE_UNAVAILABLE: {
    en: 'Part of the platform is not reachable right now; try again shortly.',
    ar: 'جزء من المنصة غير متاح حاليًا؛ أعد المحاولة بعد قليل.',
  },
  BAD_GATEWAY: { en: 'The platform gave no answer; try again.', ar: 'لم تُجب المنصة؛ أعد المحاولة.' },
  INTERNAL_ERROR: { en: 'Something went wrong on our side; it has been logged.', ar: 'حدث خطأ من جهتنا وتم تسجيله.' },
  CONFLICT: { en: 'This conflicts with an existing record.', ar: 'يتعارض هذا مع سجل موجود.' },
  REFERENCE_CONFLICT: {
    en: 'This refers to a record that does not exist or is in use.',
    ar: 'يشير هذا إلى سجل غير موجود أو قيد الاستخدام.',
  },
  CONCURRENT_UPDATE: {
    en: 'Someone changed this at the same time; try again.',
    ar: 'عدّل شخص آخر هذا في الوقت نفسه؛ أعد المحاولة.',
  },
  TENANT_EXISTS: { en: 'This already exists.', ar: 'هذا موجود بالفعل.' },
  TENANT_NOT_REGISTERED: { en: 'Your organisation is not registered yet.', ar: 'منشأتك غير مسجّلة بعد.' },
  CLINIC_EXISTS: { en: 'A clinic with this name already exists.', ar: 'توجد عيادة بهذا الاسم.' },
  ROOM_EXISTS: { en: 'This clinic already has a room with this name.', ar: 'في هذه العيادة غرفة بهذا الاسم.' },
  SERVICE_TYPE_EXISTS: { en: 'A service type with this code already exists.', ar: 'يوجد نوع خدمة بهذا الرمز.' },
  ROOM_NOT_IN_CLINIC: { en: 'The room is not in this clinic.', ar: 'الغرفة ليست في هذه العيادة.' },
  REFERENCE_INACTIVE: {
    en: 'This is deactivated and takes no new sessions; choose another.',
    ar: 'هذا معطّل ولا يقبل جلسات جديدة؛ اختر غيره.',
  },
  PROVIDER_CONFLICT: { en: 'The provider already has a session at that time.', ar: 'لدى المعالج جلسة في ذلك الوقت.' },
  ROOM_CONFLICT: { en: 'The room is already booked at that time.', ar: 'الغرفة محجوزة في ذلك الوقت.' },
  PATIENT_CONFLICT: { en: 'The patient already has a session at that time.', ar: 'لدى المريض جلسة في ذلك الوقت.' },
  NOT_YET_KNOWN: {
    en: 'This was created a moment ago and is still on its way; try again in a few seconds.',
    ar: 'أُنشئ هذا قبل لحظات وما زال في طريقه؛ حاول مرة أخرى بعد ثوانٍ.',
  },
  PATIENT_UNKNOWN: {
    en: 'The patient is not known here yet; try again in a moment.',
    ar: 'المريض غير معروف هنا بعد؛ أعد المحاولة بعد قليل.',
  },
  INVALID_TIME: {
    en: 'That time does not exist in the clinic zone on that day.',
    ar: 'هذا الوقت غير موجود في منطقة العيادة الزمنية في ذلك اليوم.',
  },
  PATIENT_EXISTS: {
    en: 'A patient with this external id is already registered.',
    ar: 'يوجد مريض مسجّل بهذا المعرّف الخارجي.',
  },
  ALREADY_ENROLLED: { en: 'The patient is already in this session.', ar: 'المريض مسجّل في هذه الجلسة بالفعل.' },
  SESSION_FULL: { en: 'The session is full; choose another session.', ar: 'الجلسة مكتملة؛ اختر جلسة أخرى.' },
  SESSION_NOT_OPEN: {
    en: 'Patients can be added only to a scheduled session.',
    ar: 'لا يمكن إضافة مرضى إلا إلى جلسة مجدولة.',
  },
  SESSION_CLOSED: { en: 'The session is closed and cannot change.', ar: 'الجلسة مغلقة ولا يمكن تعديلها.' },
  INVALID_CAPACITY: { en: 'That capacity is not possible for this session.', ar: 'هذه السعة غير ممكنة لهذه الجلسة.' },
  CAPACITY_BELOW_ACTIVE: {
    en: 'Capacity cannot go below the patients booked.',
    ar: 'لا يمكن أن تقل السعة عن عدد المرضى المسجّلين.',
  },
  INVALID_TRANSITION: { en: 'This change of status is not possible now.', ar: 'لا يمكن تغيير الحالة بهذا الشكل الآن.' },
  SESSION_ALREADY_STARTED: {
    en: 'The session has begun; patients can no longer be added.',
    ar: 'بدأت الجلسة؛ لم يعد بالإمكان إضافة مرضى.',
  },
  TOO_EARLY: {
    en: 'It is too early for this; try again closer to the session.',
    ar: 'الوقت مبكر لهذا الإجراء؛ أعد المحاولة قرب موعد الجلسة.',
  },
  CHECK_IN_BLOCKED: {
    en: 'Check-in needs payment and consent first.',
    ar: 'يتطلب تسجيل الحضور السداد والموافقة أولًا.',
  },
  UNKNOWN_CURRENCY: { en: 'That currency is not known.', ar: 'هذه العملة غير معروفة.' },
  CURRENCY_MISMATCH: { en: "The amount must be in the clinic's currency.", ar: 'يجب أن يكون المبلغ بعملة العيادة.' },
  INVOICE_NOT_ISSUED: {
    en: 'The invoice is not issued yet (its price is missing).',
    ar: 'لم تُصدر الفاتورة بعد (السعر غير محدد).',
  },
  INVOICE_SETTLED: { en: 'Nothing is owed on this invoice.', ar: 'لا يوجد مبلغ مستحق على هذه الفاتورة.' },
  OVERPAYMENT: { en: 'The payment is more than what is outstanding.', ar: 'المبلغ أكبر من المستحق.' },
  OVERREFUND: { en: 'The refund is more than what can be refunded.', ar: 'المبلغ المسترد أكبر من المسموح.' },
};

const FIELD_MESSAGES_AR: [RegExp, string][] = [
  [/^is required$/, 'مطلوب'],
  [/^must be at least (\d+) characters$/, 'يجب ألا يقل عن $1 أحرف'],
  [/^must be at most (\d+) characters$/, 'يجب ألا يزيد عن $1 حرفًا'],
  [/^must be at least (\d+)$/, 'يجب ألا يقل عن $1'],
  [/^must be at most (\d+)$/, 'يجب ألا يزيد عن $1'],
  [/^is too early$/, 'الوقت مبكر'],
  [/^is false$/, 'غير مستوفى'],
];

/** A field's message in the chosen language: the API words it in English; the common forms are said in Arabic. */
export function fieldMessage(message: string, language: Language): string {
  if (language === 'en') return message;
  for (const [pattern, arabic] of FIELD_MESSAGES_AR) if (pattern.test(message)) return message.replace(pattern, arabic);
  return 'قيمة غير صالحة';
}

export function problemText(code: ProblemCode | 'NETWORK', detail: string, language: Language): string {
  if (language === 'en') return detail || PROBLEM_TEXT[code].en;
  return PROBLEM_TEXT[code].ar;
}
