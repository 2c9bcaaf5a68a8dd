import fc from 'fast-check';
import {
  basisPointsOf,
  clinicYearOf,
  creditable,
  creditOf,
  creditTermsOf,
  settlementOfCancellation,
  settlementOfImported,
  DEFAULT_POLICY,
  documentHashOf,
  documentNumberOf,
  GENESIS_HASH,
  invoiceStatusOf,
  lineAmountsOf,
  mulDivHalfUp,
  outstandingOf,
  refundableOf,
  refundDueOf,
  takesPayments,
  vatOf,
  vatTreatmentOf,
  waivable,
  zatcaQrOf,
} from './invoice-rules';

/** Reads a ZATCA QR payload back, tag → value, as a scanning app would. */
function readZatcaQr(payload: string): Record<number, string> {
  const bytes = Buffer.from(payload, 'base64');
  const fields: Record<number, string> = {};
  for (let at = 0; at < bytes.length; at += 2 + bytes[at + 1]) {
    fields[bytes[at]] = bytes.subarray(at + 2, at + 2 + bytes[at + 1]).toString('utf8');
  }
  return fields;
}

describe('VAT', () => {
  it.each([
    ['0.15', 1500],
    ['0.1500', 1500],
    ['0.05', 500],
    ['0', 0],
    ['1', 10000],
    [0.15, 1500],
    ['0.1234', 1234],
  ])('rate %s is %i basis points', (rate, bp) => expect(basisPointsOf(rate)).toBe(bp));

  it.each([
    [10000, 1500, 1500], // 100.00 at 15 % = 15.00
    [3, 1500, 0], // 0.03 × 15 % = 0.0045 → 0.00
    [10, 1500, 2], // 0.10 × 15 % = 0.015 → 0.02 (half up)
    [30, 1500, 5], // 0.30 × 15 % = 0.045 → 0.05 (half up)
    [17, 1500, 3], // 0.17 × 15 % = 0.0255 → 0.03
    [33333, 1500, 5000], // 333.33 × 15 % = 49.9995 → 50.00
    [25000, 0, 0],
  ])('VAT of %i at %i bp is %i, rounded half-up to the halala (BR-S-09)', (taxable, bp, vat) => {
    expect(vatOf(taxable, bp)).toBe(vat);
  });

  it('rounds exactly, without floating point, for every amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), fc.integer({ min: 0, max: 10000 }), (taxable, bp) => {
        const exact = BigInt(taxable) * BigInt(bp);
        const vat = BigInt(vatOf(taxable, bp));
        // vat − ½ ≤ exact/10000 < vat + ½
        expect(vat * 20000n - 10000n <= exact * 2n && exact * 2n < vat * 20000n + 10000n).toBe(true);
      }),
    );
    expect(mulDivHalfUp(5, 1, 10)).toBe(1);
  });

  it('zero-rates Saudi citizens only where the clinic applies the exemption', () => {
    expect(vatTreatmentOf(1500, true, 'SA')).toEqual({
      rateBasisPoints: 0,
      category: 'Z',
      exemptionReason: 'VATEX-SA-HEA',
    });
    expect(vatTreatmentOf(1500, true, 'EG').category).toBe('S');
    expect(vatTreatmentOf(1500, true, null).category).toBe('S');
    expect(vatTreatmentOf(1500, false, 'SA')).toEqual({ rateBasisPoints: 1500, category: 'S', exemptionReason: null });
  });
});

describe('credit notes', () => {
  const invoice = { ...lineAmountsOf(25000, 1500), credited: 0, creditedVat: 0 }; // 250.00 + 37.50 = 287.50
  const at = (hoursBefore: number) => ({
    kind: 'PARTICIPANT_CANCELLED' as const,
    cancelledAt: new Date('2026-12-01T07:00:00Z'),
    startsAt: new Date(Date.parse('2026-12-01T07:00:00Z') + hoursBefore * 3600000),
  });

  it.each([
    [at(48), 'CANCELLED', 0],
    [at(24), 'CANCELLED', 0],
    [at(23.9), 'LATE_CANCELLATION', 50],
    [at(-1), 'LATE_CANCELLATION', 50],
    [{ kind: 'NO_SHOW' as const }, 'NO_SHOW', 100],
    [{ kind: 'SESSION_CANCELLED' as const }, 'SESSION_CANCELLED', 0],
    [{ kind: 'CLINIC_CANCELLED' as const }, 'CANCELLED', 0],
  ])('%o is %s with a %i %% fee under the default policy', (settlement, reason, feePercent) => {
    expect(creditTermsOf(settlement, DEFAULT_POLICY)).toEqual({ reason, feePercent });
  });

  it("an imported no-show keeps the tenant's no-show fee, not the whole invoice", () => {
    const settlement = settlementOfImported({ status: 'NO_SHOW' });
    expect(creditTermsOf(settlement!, { ...DEFAULT_POLICY, noShowFeePercent: 40 })).toEqual({
      reason: 'NO_SHOW',
      feePercent: 40,
    });
    expect(settlementOfImported({ status: 'ATTENDED' })).toBeNull();
    expect(settlementOfImported(undefined)).toBeNull();
  });

  describe('who cancelled decides the fee', () => {
    const cancelledAt = new Date('2026-12-01T07:00:00Z');
    const session = (status: string) => ({ status, startsAt: '2026-12-01T09:00:00.000Z' });
    it.each([
      ['the patient, two hours ahead', 'PATIENT', 'SCHEDULED', 'LATE_CANCELLATION', 50],
      ['the clinic, two hours ahead', 'CLINIC', 'SCHEDULED', 'CANCELLED', 0],
      ['the clinic, by cancelling the session', 'CLINIC', 'CANCELLED', 'SESSION_CANCELLED', 0],
      ['nobody said (an event from before)', undefined, 'SCHEDULED', 'LATE_CANCELLATION', 50],
    ] as const)('a seat cancelled by %s: %s with %i %%', (_label, cancelledBy, status, reason, feePercent) => {
      const settlement = settlementOfCancellation({ cancelledBy, session: session(status) }, cancelledAt);
      expect(creditTermsOf(settlement, DEFAULT_POLICY)).toEqual({ reason, feePercent });
    });
  });

  it.each([
    [0, { taxable: 25000, vat: 3750, total: 28750 }],
    [50, { taxable: 12500, vat: 1875, total: 14375 }],
    [100, { taxable: 0, vat: 0, total: 0 }],
    [33, { taxable: 16750, vat: 2512, total: 19262 }], // fee 82.50 + 12.38 VAT = 94.88 kept of 287.50
  ])('a %i %% fee credits %o', (fee, credit) => {
    expect(creditOf(invoice, 1500, fee)).toEqual(credit);
  });

  it('leaves exactly the fee, VAT included, whatever was credited before', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (price, bp, firstFee, secondFee) => {
          const line = lineAmountsOf(price, bp);
          const first = creditOf({ ...line, credited: 0, creditedVat: 0 }, bp, firstFee);
          const second = creditOf({ ...line, credited: first.total, creditedVat: first.vat }, bp, secondFee);
          const credited = first.total + second.total;
          const feeTaxable = mulDivHalfUp(price, Math.min(firstFee, secondFee), 100);
          expect(line.total - credited).toBe(feeTaxable + vatOf(feeTaxable, bp));
          for (const c of [first, second]) {
            expect(c.taxable + c.vat).toBe(c.total);
            expect(c.taxable).toBeGreaterThanOrEqual(0);
            expect(c.vat).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });
});

describe('invoice status', () => {
  const base = { issued: true, voided: false, waived: false, total: 28750, paid: 0, credited: 0, refunded: 0 };
  it.each([
    [{ issued: false }, 'DRAFT', 0],
    [{ issued: false, voided: true }, 'VOID', 0],
    [{ issued: false, waived: true }, 'WAIVED', 0],
    [{}, 'ISSUED', 28750],
    [{ paid: 10000 }, 'PARTIALLY_PAID', 18750],
    [{ paid: 28750 }, 'PAID', 0],
    [{ paid: 10000, waived: true }, 'WAIVED', 0],
    [{ credited: 28750 }, 'CREDITED', 0],
    [{ credited: 14375 }, 'ISSUED', 14375],
    [{ credited: 14375, paid: 14375 }, 'PAID', 0],
    [{ total: 0 }, 'PAID', 0],
  ])('%o is %s with %i outstanding', (change, status, outstanding) => {
    const state = { ...base, ...change };
    expect(invoiceStatusOf(state)).toBe(status);
    expect(outstandingOf(state)).toBe(outstanding);
  });

  it.each([
    ['DRAFT', false, false, true],
    ['ISSUED', true, true, true],
    ['PARTIALLY_PAID', true, true, true],
    ['PAID', false, true, false],
    ['WAIVED', false, false, false],
    ['CREDITED', false, false, false],
    ['VOID', false, false, false],
  ] as const)(
    '%s: takes payments %s, is credited on cancellation %s, may be waived %s',
    (status, pay, credit, waive) => {
      expect([takesPayments(status), creditable(status), waivable(status)]).toEqual([pay, credit, waive]);
    },
  );

  it('owes back what was paid beyond what stays due, less refunds', () => {
    expect(refundDueOf({ ...base, paid: 28750, credited: 28750 })).toBe(28750);
    expect(refundDueOf({ ...base, paid: 28750, credited: 14375, refunded: 4375 })).toBe(10000);
    expect(refundDueOf({ ...base, paid: 10000, credited: 14375 })).toBe(0);
    // A credit note bounds its refunds too: 287.50 paid, 143.75 credited → 143.75 owed back, 100.00 refunded already.
    const paidThenCredited = { ...base, paid: 28750, credited: 14375, refunded: 10000 };
    expect(refundableOf({ total: 14375, refunded: 10000 }, paidThenCredited)).toBe(4375);
    expect(refundableOf({ total: 5000, refunded: 0 }, paidThenCredited)).toBe(4375);
    expect(refundableOf({ total: 2000, refunded: 0 }, paidThenCredited)).toBe(2000);
  });
});

describe('documents', () => {
  it('numbers per kind, tenant and clinic year', () => {
    expect(documentNumberOf('INV', 'AGDAR', 2026, 7)).toBe('INV-AGDAR-2026-7');
    expect(documentNumberOf('CRN', 'AGDAR', 2027, 1)).toBe('CRN-AGDAR-2027-1');
    // 31 December 22:30 UTC is already 1 January in Riyadh
    expect(clinicYearOf(new Date('2026-12-31T22:30:00Z'), 'Asia/Riyadh')).toBe(2027);
    expect(clinicYearOf(new Date('2026-12-31T20:30:00Z'), 'Asia/Riyadh')).toBe(2026);
  });

  it("chains each document to the previous one's hash, from ZATCA's first-document hash", () => {
    expect(GENESIS_HASH).toBe(
      'NWZlY2ViNjZmZmM4NmYzOGQ5NTI3ODZjNmQ2OTZjNzljMmRiYzIzOWRkNGU5MWI0NjcyOWQ3M2EyN2ZiNTdlOQ==',
    );
    const fields = {
      id: 'a',
      number: 'INV-A-2026-1',
      issuedAt: '2026-11-25T10:00:00Z',
      sellerVatNumber: '300000000000003',
      currency: 'SAR',
      total: '287.50',
      vat: '37.50',
      previousHash: GENESIS_HASH,
    };
    const first = documentHashOf(fields);
    expect(documentHashOf({ ...fields })).toBe(first);
    expect(documentHashOf({ ...fields, total: '287.51' })).not.toBe(first);
    expect(documentHashOf({ ...fields, previousHash: first })).not.toBe(first);
  });

  it('encodes the ZATCA phase-1 QR as TLV, Arabic seller names in UTF-8', () => {
    const payload = zatcaQrOf({
      sellerName: 'مركز أقدر',
      vatNumber: '300000000000003',
      timestamp: '2026-11-25T10:00:00Z',
      total: '287.50',
      vat: '37.50',
    });
    const bytes = Buffer.from(payload, 'base64');
    expect([bytes[0], bytes[1]]).toEqual([1, Buffer.byteLength('مركز أقدر')]);
    expect(readZatcaQr(payload)).toEqual({
      1: 'مركز أقدر',
      2: '300000000000003',
      3: '2026-11-25T10:00:00Z',
      4: '287.50',
      5: '37.50',
    });
  });
});
