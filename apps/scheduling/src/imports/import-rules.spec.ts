import { gatesOfImported, ownNumberOf, sessionStatusOfImported, stampsOfImported } from './import-rules';

describe('the mapping of a legacy appointment', () => {
  it('keeps upcoming appointments scheduled and closes the others', () => {
    expect(sessionStatusOfImported('BOOKED')).toBe('SCHEDULED');
    expect(sessionStatusOfImported('CONFIRMED')).toBe('SCHEDULED');
    expect(sessionStatusOfImported('ARRIVED')).toBe('COMPLETED');
    expect(sessionStatusOfImported('ATTENDED')).toBe('COMPLETED');
    expect(sessionStatusOfImported('NO_SHOW')).toBe('COMPLETED');
    expect(sessionStatusOfImported('CANCELLED')).toBe('CANCELLED');
  });

  it('stamps arrival and attendance at the start, and a reason on a cancellation', () => {
    const at = new Date('2025-03-02T07:00:00Z');
    expect(stampsOfImported('ATTENDED', at)).toEqual({ arrivalAt: at, attendedAt: at, cancellationReason: null });
    expect(stampsOfImported('NO_SHOW', at)).toEqual({ arrivalAt: null, attendedAt: null, cancellationReason: null });
    expect(stampsOfImported('CANCELLED', at).cancellationReason).toMatch(/previous system/);
  });

  it('recognises numbers of our own format for this tenant only', () => {
    expect(ownNumberOf('APT-AGDAR-2025-10423', 'AGDAR')).toEqual({ year: 2025, value: 10423 });
    expect(ownNumberOf('APT-OTHER-2025-10423', 'AGDAR')).toBeNull();
    expect(ownNumberOf('A-10423', 'AGDAR')).toBeNull();
  });

  it("takes check-in gates from the platform's facts, not from the file", () => {
    const unknown = { financeCleared: false, consentVerified: false };
    const claims = { financeCleared: true, consentVerified: true };
    expect(gatesOfImported({ ...claims, legacyBilled: false }, unknown)).toEqual(unknown);
    // Billed by the previous system, no invoice of ours will clear it: its word on payment is all there is.
    expect(gatesOfImported({ ...claims, legacyBilled: true }, unknown)).toEqual({
      financeCleared: true,
      consentVerified: false,
    });
    // Payment is this appointment's invoice's fact, never the patient's: a seat of ours starts unpaid.
    expect(gatesOfImported({ financeCleared: false, legacyBilled: false }, { consentVerified: true })).toEqual({
      financeCleared: false,
      consentVerified: true,
    });
  });
});
