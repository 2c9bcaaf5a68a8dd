import { DomainError } from '@agdar/service-kit';
import {
  amountOf,
  assertHasDocument,
  assertPayable,
  assertRefundable,
  assertTakesMoney,
  assertWaivable,
  creditNoteText,
} from './invoice-rules';

/** The problem a check answers, with its detail and field messages; 'accepted' when it lets the change through. */
function refusalOf(check: () => unknown) {
  try {
    check();
    return 'accepted';
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return { code: error.code, detail: error.message, fields: error.errors?.map((f) => `${f.field} ${f.message}`) };
  }
}

const invoice = (status: string, number: string | null = 'INV-A-2026-7') =>
  ({ status, number, appointmentNumber: 'APT-A-2026-3', issued: status !== 'DRAFT' && status !== 'VOID' }) as const;

describe("billing's refusals and their wording", () => {
  it.each([
    ['ISSUED', 'accepted'],
    ['PARTIALLY_PAID', 'accepted'],
    ['DRAFT', 'INVOICE_NOT_ISSUED'],
    ['PAID', 'INVOICE_SETTLED'],
    ['WAIVED', 'INVOICE_SETTLED'],
    ['CREDITED', 'INVOICE_SETTLED'],
    ['VOID', 'INVOICE_SETTLED'],
  ])('takes money on a %s invoice: %s', (status, answer) => {
    const got = refusalOf(() => assertTakesMoney(invoice(status) as never));
    expect(got === 'accepted' ? got : got.code).toBe(answer);
  });

  it.each([
    ['ISSUED', 'accepted'],
    ['DRAFT', 'accepted'],
    ['PAID', 'INVOICE_SETTLED'],
    ['CREDITED', 'INVOICE_SETTLED'],
  ])('waives a %s invoice: %s', (status, answer) => {
    const got = refusalOf(() => assertWaivable(invoice(status) as never));
    expect(got === 'accepted' ? got : got.code).toBe(answer);
  });

  it('names the invoice and says what to do', () => {
    expect(refusalOf(() => assertTakesMoney(invoice('DRAFT', null) as never))).toMatchObject({
      detail: expect.stringContaining("APT-A-2026-3 is a DRAFT waiting for its service type's price"),
    });
    expect(refusalOf(() => assertTakesMoney(invoice('PAID') as never))).toMatchObject({
      detail: 'Invoice INV-A-2026-7 is PAID; nothing is owed on it.',
    });
    expect(refusalOf(() => assertHasDocument(invoice('DRAFT', null) as never))).toMatchObject({
      code: 'INVOICE_NOT_ISSUED',
      detail: expect.stringContaining("set its service type's price to issue it."),
    });
    expect(refusalOf(() => assertHasDocument(invoice('VOID', null) as never))).toMatchObject({
      detail: expect.stringContaining('it was never issued.'),
    });
    expect(refusalOf(() => assertHasDocument(invoice('ISSUED') as never))).toBe('accepted');
  });

  it.each([
    [7500, 7500, 'accepted'],
    [7501, 7500, 'The invoice has 75.00 SAR outstanding; a payment of 75.01 is more than that.'],
  ])('a payment of %i with %i outstanding: %s', (amount, outstanding, answer) => {
    const got = refusalOf(() => assertPayable(amount, outstanding, 'SAR'));
    expect(got === 'accepted' ? got : got.detail).toBe(answer);
    if (got !== 'accepted')
      expect(got).toMatchObject({ code: 'OVERPAYMENT', fields: ['amount must be at most 75.00'] });
  });

  it.each([
    [5750, 5750, 'accepted'],
    [5751, 5750, 'OVERREFUND'],
  ])('a refund of %i with %i refundable: %s', (amount, refundable, answer) => {
    const got = refusalOf(() =>
      assertRefundable(amount, refundable, 'SAR', { note: 'CRN-A-2026-1', invoice: 'INV-1' }),
    );
    expect(got === 'accepted' ? got : got.code).toBe(answer);
  });

  it.each([
    ['115.00', 'SAR', 11500],
    ['0.50', 'SAR', 50],
    ['1.005', 'KWD', 1005],
    ['0.00', 'SAR', 'must be more than zero'],
    ['1.005', 'SAR', 'VALIDATION_FAILED'],
    ['abc', 'SAR', 'VALIDATION_FAILED'],
  ])('reads %s %s as %s', (text, currency, answer) => {
    let got: unknown;
    try {
      got = amountOf(text, currency);
    } catch (error) {
      const e = error as DomainError;
      got = answer === 'must be more than zero' ? e.errors?.[0].message : e.code;
    }
    expect(got).toBe(answer);
  });

  it.each([
    ['CANCELLED', 0, 'Appointment cancelled before the late-cancellation window: credited in full (0 % fee).'],
    ['LATE_CANCELLATION', 50, 'within the late-cancellation window: the late-cancellation fee is kept (50 % fee).'],
    ['NO_SHOW', 100, 'Patient did not attend: the no-show fee is kept (100 % fee).'],
    ['SESSION_CANCELLED', 0, 'Session cancelled by the clinic: credited in full (0 % fee).'],
  ] as const)('words a %s credit note', (reason, fee, text) => {
    expect(creditNoteText(reason, fee, 'INV-A-2026-7')).toContain(`${text} Credits INV-A-2026-7.`);
  });
});
