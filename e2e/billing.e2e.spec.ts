// Billing through the gateway with every service running: one invoice per participant with gapless numbers and VAT
// to the halala, payments that clear check-in, credit notes under the tenant's fee policy, refunds, waivers, the
// printable document and the CSV export, and bad input refused without a change.
import { randomBytes } from 'node:crypto';
import { daysFromToday, eventually, letSessionBegin, sql } from '@agdar/testing';
import { Platform, startPlatform } from './support/platform';
import {
  ClinicFixture,
  createSession,
  createSoonSession,
  registerPatients,
  setUpClinic,
  untilSchedulingKnows,
} from './support/clinic';
import { invoiceOf, priceServiceType } from './support/billing';

describe('billing', () => {
  let platform: Platform;
  const billingDb = () => platform.billing.databaseUrl!;

  beforeAll(async () => {
    platform = await startPlatform();
  }, 120000);
  afterAll(async () => platform?.stop());

  const book = async (clinic: ClinicFixture, sessionId: string, patientId: string) => {
    const response = await clinic.reception.post(`/sessions/${sessionId}/add-patient`, { patientId });
    expect(response.status).toBe(201);
    return response.body;
  };
  const participantOf = async (clinic: ClinicFixture, sessionId: string, participantId: string) =>
    (await clinic.reception.get(`/sessions/${sessionId}`)).body.participants.find(
      (p: { id: string }) => p.id === participantId,
    );
  const checkIn = (clinic: ClinicFixture, sessionId: string, participantId: string) =>
    clinic.reception.patch(`/sessions/${sessionId}/participants/${participantId}`, { status: 'ARRIVED' });
  const pay = (clinic: ClinicFixture, invoiceId: string, amount: string, headers: Record<string, string> = {}) =>
    clinic.billing.post(`/invoices/${invoiceId}/payments`, { amount, method: 'CASH' }, headers);
  const consent = async (clinic: ClinicFixture, patientIds: string[]) => {
    for (const id of patientIds) {
      const recorded = await clinic.reception.post(`/patients/${id}/consents`, {
        kind: 'TREATMENT',
        grantedBy: 'Parent',
      });
      expect(recorded.status).toBe(201);
    }
  };
  const year = () => new Date().getUTCFullYear();
  /** A clinic of its own with its service type at 250.00, one patient booked, and that booking's issued invoice. */
  const onePatientInvoiced = async (options: { soon?: boolean; consented?: boolean } = {}) => {
    const clinic = await setUpClinic(platform);
    await priceServiceType(clinic, '250.00');
    const [patientId] = await registerPatients(platform, clinic, 1);
    if (options.consented) await consent(clinic, [patientId]);
    const session = options.soon ? await createSoonSession(clinic) : await createSession(clinic);
    const booked = await book(clinic, session.id, patientId);
    const invoice = await invoiceOf(clinic, booked.appointmentNumber, 'ISSUED');
    return { clinic, session, booked, invoice };
  };

  it('invoices each of 3 patients of a group with consecutive numbers; paying one in two parts lets only that one check in', async () => {
    const clinic = await setUpClinic(platform);
    await priceServiceType(clinic, '250.00');
    const patients = await registerPatients(platform, clinic, 3);
    await consent(clinic, patients);
    const session = await createSoonSession(clinic);
    const booked: any[] = [];
    for (const id of patients) booked.push(await book(clinic, session.id, id));

    const invoices: any[] = [];
    for (const p of booked) invoices.push(await invoiceOf(clinic, p.appointmentNumber, 'ISSUED'));
    expect(invoices.map((i) => i.number).sort()).toEqual(
      [1, 2, 3].map((n) => `INV-${clinic.tenant}-${new Date(invoices[0].issuedAt).getUTCFullYear()}-${n}`).sort(),
    );
    for (const [index, invoice] of invoices.entries()) {
      expect(invoice).toMatchObject({
        participantId: booked[index].id,
        patientId: patients[index],
        sessionNumber: session.sessionNumber,
        appointmentNumber: booked[index].appointmentNumber,
        currency: 'SAR',
        taxable: '250.00',
        vat: '37.50',
        total: '287.50',
        outstanding: '287.50',
        billTo: { name: `Patient${index} Test` },
      });
      expect(invoice.lines).toEqual([
        expect.objectContaining({
          serviceTypeCode: 'OT_GROUP',
          description: 'Group OT',
          clinicDate: session.scheduledDate,
          clinicTime: session.scheduledTime,
          timezone: 'Asia/Riyadh',
          unitPrice: '250.00',
          vatRate: '15.00',
          vatCategory: 'S',
          vat: '37.50',
          total: '287.50',
        }),
      ]);
    }
    const [first, second] = invoices;
    const partial = await pay(clinic, first.id, '100.00');
    expect(partial.status).toBe(201);
    expect(partial.body.invoice).toMatchObject({ status: 'PARTIALLY_PAID', paid: '100.00', outstanding: '187.50' });
    const rest = await clinic.billing.post(`/invoices/${first.id}/payments`, {
      amount: '187.50',
      method: 'CARD',
      reference: 'slip 4411',
    });
    expect(rest.status).toBe(201);
    expect(rest.body).toMatchObject({ amount: '187.50', method: 'CARD', reference: 'slip 4411', currency: 'SAR' });
    expect(rest.body.invoice).toMatchObject({ status: 'PAID', paid: '287.50', outstanding: '0.00' });

    await eventually(
      async () => (await participantOf(clinic, session.id, booked[0].id)).canCheckIn,
      'FinanceCleared to reach scheduling',
    );
    const paidOne = await participantOf(clinic, session.id, booked[0].id);
    expect(paidOne).toMatchObject({ financeCleared: true, invoiceNumber: first.number, invoiceStatus: 'PAID' });
    expect((await checkIn(clinic, session.id, booked[0].id)).status).toBe(200);
    for (const other of booked.slice(1)) {
      const refused = await checkIn(clinic, session.id, other.id);
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'CHECK_IN_BLOCKED' });
    }
    expect(await participantOf(clinic, session.id, booked[1].id)).toMatchObject({
      invoiceNumber: second.number,
      invoiceStatus: 'ISSUED',
    });
  });

  it('keeps an invoice DRAFT without a number until its price is set, then issues it', async () => {
    const clinic = await setUpClinic(platform);
    const [patientId] = await registerPatients(platform, clinic, 1);
    const session = await createSession(clinic);
    const booked = await book(clinic, session.id, patientId);
    const draft = await invoiceOf(clinic, booked.appointmentNumber, 'DRAFT');
    expect(draft).toMatchObject({ number: null, total: null, lines: [], outstanding: '0.00' });
    const refused = await pay(clinic, draft.id, '10.00');
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'INVOICE_NOT_ISSUED' });
    const noDocument = await clinic.billing.get(`/invoices/${draft.id}/document`);
    expect(noDocument.status).toBe(409);
    // The session moves while its invoice waits: the invoice is issued with the new time.
    const moved = await clinic.reception.patch(`/sessions/${session.id}`, { scheduledTime: '15:30' });
    expect(moved.status).toBe(200);
    await eventually(
      async () =>
        (await sql(billingDb(), `select 1 from invoices where id = $1 and clinic_time = '15:30'`, [draft.id])).length >
        0,
      'the draft to follow its session',
    );

    await priceServiceType(clinic, '99.99');
    const issued = await invoiceOf(clinic, booked.appointmentNumber, 'ISSUED');
    expect(issued.lines[0]).toMatchObject({ clinicDate: session.scheduledDate, clinicTime: '15:30' });
    expect(issued).toMatchObject({
      number: `INV-${clinic.tenant}-${year()}-1`,
      taxable: '99.99',
      vat: '15.00', // 14.9985 rounded half-up
      total: '114.99',
    });
  });

  it('zero-rates a Saudi citizen where the clinic applies the healthcare exemption', async () => {
    const clinic = await setUpClinic(platform);
    const policy = await clinic.admin.put('/billing/policy', {
      lateCancellationWindowHours: 24,
      lateCancellationFeePercent: 50,
      noShowFeePercent: 100,
      citizenHealthcareExemption: true,
    });
    expect(policy.status).toBe(200);
    await priceServiceType(clinic, '200.00');
    const citizen = await clinic.reception.post('/patients', {
      firstNameEn: 'Noura',
      lastNameEn: 'Alqahtani',
      firstNameAr: 'نورة',
      lastNameAr: 'القحطاني',
      dateOfBirth: '2016-01-01',
      nationality: 'SA',
    });
    expect(citizen.status).toBe(201);
    const [resident] = await registerPatients(platform, clinic, 1);
    await untilSchedulingKnows(platform, [citizen.body.id]);
    const session = await createSession(clinic);
    const a = await invoiceOf(clinic, (await book(clinic, session.id, citizen.body.id)).appointmentNumber, 'ISSUED');
    const b = await invoiceOf(clinic, (await book(clinic, session.id, resident)).appointmentNumber, 'ISSUED');
    expect(a).toMatchObject({
      vat: '0.00',
      total: '200.00',
      billTo: { name: 'Noura Alqahtani', nameAr: 'نورة القحطاني' },
    });
    expect(a.lines[0]).toMatchObject({ vatRate: '0.00', vatCategory: 'Z', vatExemptionReason: 'VATEX-SA-HEA' });
    expect(b).toMatchObject({ vat: '30.00', total: '230.00' });
    expect(b.lines[0]).toMatchObject({ vatCategory: 'S', vatExemptionReason: null });
  });

  it("bills imported history by the tenant's policy, and gates imported seats by the platform's facts", async () => {
    const clinic = await setUpClinic(platform);
    await priceServiceType(clinic, '250.00');
    const policy = {
      lateCancellationWindowHours: 24,
      lateCancellationFeePercent: 50,
      noShowFeePercent: 40,
      citizenHealthcareExemption: false,
    };
    expect((await clinic.billing.put('/billing/policy', policy)).status).toBe(200);
    const [patientId] = await registerPatients(platform, clinic, 1); // no consent, nothing paid
    const row = (n: number, scheduledDate: string, status: string) => ({
      row: n,
      sourceId: `legacy-${n}`,
      appointmentNumber: `LEG-${clinic.tenant}-${n}`,
      patientId,
      clinicId: clinic.clinicId,
      roomId: clinic.roomIds[0],
      providerId: clinic.providerIds[0],
      serviceTypeId: clinic.serviceTypeId,
      scheduledDate,
      scheduledTime: '10:00',
      durationMinutes: 45,
      status,
      // The file claims both gates are clear; the platform knows better.
      financeCleared: true,
      consentVerified: true,
      legacyBilled: false,
      notes: null,
    });
    const imported = await clinic.admin.post('/imports/appointments', {
      source: 'legacy.csv',
      dryRun: false,
      notify: false,
      rows: [row(1, daysFromToday(-3), 'NO_SHOW'), row(2, daysFromToday(3), 'BOOKED')],
    });
    expect(imported.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(['CREATED', 'CREATED']);

    const noShow = await invoiceOf(clinic, `LEG-${clinic.tenant}-1`, 'ISSUED');
    await eventually(
      async () => (await invoiceOf(clinic, noShow.appointmentNumber)).creditNotes.length === 1,
      'credit',
    );
    // 40 % kept: 100.00 + 15.00 = 115.00 of 287.50; 172.50 credited.
    expect((await invoiceOf(clinic, noShow.appointmentNumber)).creditNotes[0]).toMatchObject({
      reason: 'NO_SHOW',
      total: '172.50',
    });
    const upcoming = (await clinic.reception.get(`/sessions/${imported.body.results[1].sessionId}`)).body;
    expect(upcoming.participants[0]).toMatchObject({
      financeCleared: false,
      consentVerified: false,
      canCheckIn: false,
    });
  });

  it('a price set the moment its service type was created is refused with Retry-After, never a "does not exist"', async () => {
    const clinic = await setUpClinic(platform);
    // Created and priced at once, as a front end would: billing learns of the type a moment later, from its event.
    const created = await clinic.admin.post('/service-types', {
      name: 'Speech',
      code: `SP${randomBytes(3).toString('hex').toUpperCase()}`,
    });
    expect(created.status).toBe(201);
    const answers = [
      await clinic.billing.put(`/billing/prices/${created.body.id}`, { amount: '90.00', currency: 'SAR' }),
    ];
    while (answers.at(-1)!.status === 409) {
      const wait = Number(answers.at(-1)!.headers.get('retry-after'));
      expect(answers.at(-1)!.body).toMatchObject({ code: 'NOT_YET_KNOWN', errors: [{ field: 'serviceTypeId' }] });
      expect(wait).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, wait * 100)); // a tenth of what it says, to see more than one answer
      answers.push(
        await clinic.billing.put(`/billing/prices/${created.body.id}`, { amount: '90.00', currency: 'SAR' }),
      );
    }
    expect(answers.map((a) => a.status).filter((s) => s !== 409)).toEqual([200]);
    expect(answers.at(-1)!.body).toMatchObject({ amount: '90.00' });
  });

  it("never charges a family for the clinic's decision: a seat the clinic cancels late is credited in full", async () => {
    const clinic = await setUpClinic(platform);
    await priceServiceType(clinic, '250.00');
    const [byFamily, byClinic] = await registerPatients(platform, clinic, 2);
    const soon = await createSoonSession(clinic); // within the 24-hour window of the default policy
    const family = await book(clinic, soon.id, byFamily);
    const clinics = await book(clinic, soon.id, byClinic);
    for (const p of [family, clinics]) await invoiceOf(clinic, p.appointmentNumber, 'ISSUED');
    const remove = (participantId: string, cancelledBy: string) =>
      clinic.reception.delete(`/sessions/${soon.id}/participants/${participantId}?reason=x&cancelledBy=${cancelledBy}`);
    expect((await remove(family.id, 'PATIENT')).body).toMatchObject({ status: 'CANCELLED', cancelledBy: 'PATIENT' });
    expect((await remove(clinics.id, 'CLINIC')).body).toMatchObject({ status: 'CANCELLED', cancelledBy: 'CLINIC' });
    const familyInvoice = await invoiceOf(clinic, family.appointmentNumber, 'ISSUED');
    await eventually(
      async () => (await invoiceOf(clinic, family.appointmentNumber)).creditNotes.length === 1,
      'credit',
    );
    expect((await invoiceOf(clinic, family.appointmentNumber)).creditNotes[0]).toMatchObject({
      reason: 'LATE_CANCELLATION',
    });
    expect(familyInvoice.number).toBeTruthy();
    const clinicInvoice = await invoiceOf(clinic, clinics.appointmentNumber, 'CREDITED');
    expect(clinicInvoice.creditNotes[0]).toMatchObject({ reason: 'CANCELLED', total: '287.50' });
    // Who cancels is said, never guessed.
    const unsaid = await clinic.reception.delete(`/sessions/${soon.id}/participants/${family.id}?reason=x`);
    expect({ status: unsaid.status, field: unsaid.body.errors?.[0]?.field }).toEqual({
      status: 400,
      field: 'cancelledBy',
    });
  });

  it('credits cancellations, late cancellations, no-shows and a cancelled session as the policy says', async () => {
    const clinic = await setUpClinic(platform);
    const policy = {
      lateCancellationWindowHours: 24,
      lateCancellationFeePercent: 50,
      noShowFeePercent: 40,
      citizenHealthcareExemption: false,
    };
    expect((await clinic.billing.put('/billing/policy', policy)).body).toMatchObject(policy);
    await priceServiceType(clinic, '250.00');
    const patients = await registerPatients(platform, clinic, 5);
    const later = await createSession(clinic); // a month ahead: outside the window
    const soon = await createSoonSession(clinic); // within hours: inside the window
    const cancelledByClinic = await createSession(clinic);
    const early = await book(clinic, later.id, patients[0]);
    const late = await book(clinic, soon.id, patients[1]);
    const noShow = await book(clinic, soon.id, patients[2]);
    const sessionA = await book(clinic, cancelledByClinic.id, patients[3]);
    const sessionB = await book(clinic, cancelledByClinic.id, patients[4]);
    for (const p of [early, late, noShow, sessionA, sessionB]) await invoiceOf(clinic, p.appointmentNumber, 'ISSUED');
    // The early one had paid in full: its credit note is money owed back.
    const earlyInvoice = await invoiceOf(clinic, early.appointmentNumber);
    expect((await pay(clinic, earlyInvoice.id, '287.50')).status).toBe(201);

    const remove = (sessionId: string, participantId: string) =>
      clinic.reception.delete(
        `/sessions/${sessionId}/participants/${participantId}?reason=family%20travel&cancelledBy=PATIENT`,
      );
    expect((await remove(later.id, early.id)).status).toBe(200);
    expect((await remove(soon.id, late.id)).status).toBe(200);
    expect((await clinic.provider.patch(`/sessions/${soon.id}`, { status: 'IN_PROGRESS' })).status).toBe(200);
    await letSessionBegin(platform.scheduling.databaseUrl!, soon.id);
    const marked = await clinic.reception.patch(`/sessions/${soon.id}/participants/${noShow.id}`, {
      status: 'NO_SHOW',
      noShowReason: 'SICK',
    });
    expect(marked.status).toBe(200);
    const cancelled = await clinic.reception.patch(`/sessions/${cancelledByClinic.id}`, {
      status: 'CANCELLED',
      reason: 'therapist ill',
    });
    expect(cancelled.status).toBe(200);

    const credited = async (p: { appointmentNumber: string }, status: string) => {
      const invoice = await invoiceOf(clinic, p.appointmentNumber, status);
      expect(invoice.creditNotes).toHaveLength(1);
      return invoice;
    };
    const earlyCredited = await credited(early, 'CREDITED');
    expect(earlyCredited.creditNotes[0]).toMatchObject({ reason: 'CANCELLED', total: '287.50', vat: '37.50' });
    expect(earlyCredited).toMatchObject({ outstanding: '0.00', refundDue: '287.50' });
    const lateCredited = await credited(late, 'ISSUED');
    // 50 % of 250.00 is kept with its VAT: 125.00 + 18.75; the rest is credited.
    expect(lateCredited.creditNotes[0]).toMatchObject({ reason: 'LATE_CANCELLATION', total: '143.75', vat: '18.75' });
    expect(lateCredited.outstanding).toBe('143.75');
    const noShowCredited = await credited(noShow, 'ISSUED');
    // 40 % kept: 100.00 + 15.00 = 115.00; 172.50 credited.
    expect(noShowCredited.creditNotes[0]).toMatchObject({ reason: 'NO_SHOW', total: '172.50', vat: '22.50' });
    for (const p of [sessionA, sessionB]) {
      const invoice = await credited(p, 'CREDITED');
      expect(invoice.creditNotes[0]).toMatchObject({ reason: 'SESSION_CANCELLED', total: '287.50' });
    }

    // Invoices minus credit notes are exactly the fees the policy keeps.
    const [totals] = await sql<{ invoiced: string; credited: string }>(
      billingDb(),
      `select (select sum(total_minor) from invoices where tenant = $1) as invoiced,
              (select sum(total_minor) from credit_notes where tenant = $1) as credited`,
      [clinic.tenant],
    );
    expect(Number(totals.invoiced) - Number(totals.credited)).toBe(14375 + 11500);
    // Credit notes are numbered like invoices, in their own gapless series.
    const numbers = await sql<{ number: string }>(
      billingDb(),
      `select number from credit_notes where tenant = $1 order by number`,
      [clinic.tenant],
    );
    expect(numbers.map((n) => n.number)).toEqual(
      [1, 2, 3, 4, 5].map((n) => `CRN-${clinic.tenant}-${year()}-${n}`).sort(),
    );

    // Money paid and then credited goes back against the credit note, never more than is owed.
    const note = earlyCredited.creditNotes[0];
    const tooMuch = await clinic.billing.post(`/credit-notes/${note.id}/refunds`, { amount: '300.00', method: 'CASH' });
    expect({ status: tooMuch.status, code: tooMuch.body.code }).toEqual({ status: 409, code: 'OVERREFUND' });
    const refund = await clinic.billing.post(`/credit-notes/${note.id}/refunds`, {
      amount: '287.50',
      method: 'BANK_TRANSFER',
      reference: 'IBAN SA03 8000',
    });
    expect(refund.status).toBe(201);
    expect(refund.body.invoice).toMatchObject({ refundDue: '0.00', status: 'CREDITED' });
    const again = await clinic.billing.post(`/credit-notes/${note.id}/refunds`, { amount: '0.01', method: 'CASH' });
    expect(again.status).toBe(409);
  });

  it('chains every document of a tenant to the one before it and carries a ZATCA QR payload', async () => {
    const clinic = await setUpClinic(platform);
    await priceServiceType(clinic, '250.00');
    const patients = await registerPatients(platform, clinic, 2);
    const session = await createSession(clinic);
    const a = await book(clinic, session.id, patients[0]);
    const b = await book(clinic, session.id, patients[1]);
    const first = await invoiceOf(clinic, a.appointmentNumber, 'ISSUED');
    const second = await invoiceOf(clinic, b.appointmentNumber, 'ISSUED');
    const [older, newer] = [first, second].sort((x, y) => x.number.localeCompare(y.number));
    expect(newer.previousHash).toBe(older.hash);
    expect(older.previousHash).toBe(
      'NWZlY2ViNjZmZmM4NmYzOGQ5NTI3ODZjNmQ2OTZjNzljMmRiYzIzOWRkNGU5MWI0NjcyOWQ3M2EyN2ZiNTdlOQ==',
    );
    const tlv = Buffer.from(first.qr, 'base64');
    const fields: string[] = [];
    for (let at = 0; at < tlv.length; at += 2 + tlv[at + 1])
      fields.push(tlv.subarray(at + 2, at + 2 + tlv[at + 1]).toString());
    expect(fields).toEqual([
      `Clinic ${clinic.tenant}`,
      '',
      first.issuedAt.replace(/\.\d{3}Z$/, 'Z'),
      '287.50',
      '37.50',
    ]);
  });

  it('prints a bilingual document and exports the period for accounting', async () => {
    const { clinic, session, booked, invoice } = await onePatientInvoiced();
    await clinic.reception.delete(`/sessions/${session.id}/participants/${booked.id}?reason=moved&cancelledBy=PATIENT`);
    const credited = await invoiceOf(clinic, booked.appointmentNumber, 'CREDITED');

    const document = await clinic.reception.get(`/invoices/${invoice.id}/document`);
    expect(document.status).toBe(200);
    expect(document.headers.get('content-type')).toMatch(/^text\/html/);
    for (const text of [
      invoice.number,
      'فاتورة ضريبية',
      'Tax invoice',
      '287.50',
      credited.creditNotes[0].number,
      '<svg',
      `<span dir="rtl">عيادة ${clinic.tenant}</span>`, // the seller's Arabic name beside its registered one
    ])
      expect(document.body).toContain(text);
    expect(invoice.seller).toEqual({
      name: `Clinic ${clinic.tenant}`,
      nameAr: `عيادة ${clinic.tenant}`,
      vatNumber: null,
    });
    expect(document.body).toContain('dir="rtl"');
    const note = await clinic.reception.get(`/credit-notes/${credited.creditNotes[0].id}/document`);
    expect(note.status).toBe(200);
    for (const text of [credited.creditNotes[0].number, 'إشعار دائن', 'Credit note', invoice.number, '<svg'])
      expect(note.body).toContain(text);
    const foreign = await (
      await setUpClinic(platform)
    ).reception.get(`/credit-notes/${credited.creditNotes[0].id}/document`);
    expect(foreign.status).toBe(404);

    const from = new Date(Date.now() - 2 * 86400000).toISOString().slice(0, 10);
    const to = new Date(Date.now() + 2 * 86400000).toISOString().slice(0, 10);
    const csv = await clinic.billing.get(`/invoices/export?from=${from}&to=${to}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain('invoices.csv');
    const lines = String(csv.body)
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    expect(lines[0]).toContain('document_type,number,issued_at');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2))).toEqual([
      ['INVOICE', invoice.number],
      ['CREDIT_NOTE', credited.creditNotes[0].number],
    ]);
    expect(lines[2]).toContain('-287.50');
    const backwards = await clinic.billing.get(`/invoices/export?from=${to}&to=${from}`);
    expect(backwards.status).toBe(400);
  });

  it('lets an admin waive what is owed, which clears check-in; billing staff cannot', async () => {
    const { clinic, session, booked, invoice } = await onePatientInvoiced({ soon: true, consented: true });
    const byBilling = await clinic.billing.post(`/invoices/${invoice.id}/waive`, { reason: 'hardship' });
    expect(byBilling.status).toBe(403);
    const waived = await clinic.admin.post(`/invoices/${invoice.id}/waive`, {
      reason: 'Hardship, approved by director',
    });
    expect(waived.status).toBe(200);
    expect(waived.body).toMatchObject({
      status: 'WAIVED',
      outstanding: '0.00',
      waiver: { reason: 'Hardship, approved by director' },
    });
    await eventually(
      async () => (await participantOf(clinic, session.id, booked.id)).canCheckIn,
      'the waiver to clear check-in',
    );
    expect((await checkIn(clinic, session.id, booked.id)).status).toBe(200);
    const twice = await clinic.admin.post(`/invoices/${invoice.id}/waive`, { reason: 'again' });
    expect({ status: twice.status, code: twice.body.code }).toEqual({ status: 409, code: 'INVOICE_SETTLED' });
    const payWaived = await pay(clinic, invoice.id, '1.00');
    expect({ status: payWaived.status, code: payWaived.body.code }).toEqual({ status: 409, code: 'INVOICE_SETTLED' });
  });

  it('never lets two concurrent payments together exceed the total', async () => {
    const { clinic, invoice } = await onePatientInvoiced();
    // Five payers of 100.00 at once on 287.50: two fit, the others would overpay. Then three of 87.50 at once: one
    // settles the invoice, and the others find it settled.
    for (const [amount, payers, accepted, code] of [
      ['100.00', 5, 2, 'OVERPAYMENT'],
      ['87.50', 3, 1, 'INVOICE_SETTLED'],
    ] as const) {
      const answers = await Promise.all(Array.from({ length: payers }, () => pay(clinic, invoice.id, amount)));
      expect(answers.filter((a) => a.status === 201)).toHaveLength(accepted);
      const refused = answers.filter((a) => a.status !== 201);
      expect(refused.map((a) => `${a.status} ${a.body.code}`)).toEqual(refused.map(() => `409 ${code}`));
    }
    const [row] = await sql<{ paid: string; payments: string }>(
      billingDb(),
      `select paid_minor as paid, (select count(*) from payments where invoice_id = $1) as payments
       from invoices where id = $1`,
      [invoice.id],
    );
    expect({ paid: Number(row.paid), payments: Number(row.payments) }).toEqual({ paid: 28750, payments: 3 });
  });

  it('refuses bad input with a 4xx problem and changes nothing', async () => {
    const { clinic, session, booked, invoice } = await onePatientInvoiced();
    const other = await setUpClinic(platform);

    const payments: [unknown, number, string][] = [
      [{ amount: '-1.00', method: 'CASH' }, 400, 'VALIDATION_FAILED'],
      [{ amount: '1.005', method: 'CASH' }, 400, 'VALIDATION_FAILED'],
      [{ amount: 10.5, method: 'CASH' }, 400, 'VALIDATION_FAILED'],
      [{ amount: '0.00', method: 'CASH' }, 400, 'VALIDATION_FAILED'],
      [{ amount: '1.00', method: 'CHEQUE' }, 400, 'VALIDATION_FAILED'],
      [{ amount: '1.00', method: 'CASH', currency: 'SAR' }, 400, 'VALIDATION_FAILED'],
      [{ amount: '287.51', method: 'CASH' }, 409, 'OVERPAYMENT'],
    ];
    for (const [body, status, code] of payments) {
      const answer = await clinic.billing.post(`/invoices/${invoice.id}/payments`, body);
      expect({ body, status: answer.status, code: answer.body.code }).toEqual({ body, status, code });
    }
    const foreign = await other.billing.post(`/invoices/${invoice.id}/payments`, { amount: '1.00', method: 'CASH' });
    expect({ status: foreign.status, code: foreign.body.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect((await other.billing.get(`/invoices/${invoice.id}`)).status).toBe(404);
    expect((await other.billing.get('/invoices')).body.total).toBe(0);
    const prices: [unknown, number, string][] = [
      [{ amount: '10.00', currency: 'XYZ' }, 422, 'UNKNOWN_CURRENCY'],
      [{ amount: '10.00', currency: 'USD' }, 422, 'CURRENCY_MISMATCH'],
      [{ amount: '10.001', currency: 'SAR' }, 400, 'VALIDATION_FAILED'],
      [{ amount: '-10.00', currency: 'SAR' }, 400, 'VALIDATION_FAILED'],
      [{ amount: 10, currency: 'SAR' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of prices) {
      const answer = await clinic.billing.put(`/billing/prices/${clinic.serviceTypeId}`, body);
      expect({ body, status: answer.status, code: answer.body.code }).toEqual({ body, status, code });
    }
    const unknownType = await clinic.billing.put(`/billing/prices/${other.serviceTypeId}`, {
      amount: '1.00',
      currency: 'SAR',
    });
    expect({ status: unknownType.status, code: unknownType.body.code }).toEqual({ status: 409, code: 'NOT_YET_KNOWN' });

    const after = await clinic.billing.get(`/invoices/${invoice.id}`);
    expect(after.body).toMatchObject({ paid: '0.00', status: 'ISSUED', payments: [] });
    expect((await clinic.billing.get('/billing/prices')).body.items).toEqual([
      expect.objectContaining({ amount: '250.00', currency: 'SAR', serviceTypeCode: 'OT_GROUP' }),
    ]);

    // A credited invoice takes no payment.
    await clinic.reception.delete(`/sessions/${session.id}/participants/${booked.id}?reason=moved&cancelledBy=PATIENT`);
    await invoiceOf(clinic, booked.appointmentNumber, 'CREDITED');
    const credited = await pay(clinic, invoice.id, '1.00');
    expect({ status: credited.status, code: credited.body.code }).toEqual({ status: 409, code: 'INVOICE_SETTLED' });
  });

  it('answers a payment retried with its Idempotency-Key with the first answer, recorded once', async () => {
    const { clinic, invoice } = await onePatientInvoiced();
    const key = { 'idempotency-key': `pay-${randomBytes(4).toString('hex')}` };
    const first = await pay(clinic, invoice.id, '50.00', key);
    const retry = await pay(clinic, invoice.id, '50.00', key);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await clinic.billing.get(`/invoices/${invoice.id}`)).body.payments).toHaveLength(1);
  });
});
