// Money. Stored and computed as integer minor units (halalas for SAR); shown on the wire as a decimal string with its
// currency ("172.50" SAR). Never a floating-point number, in either direction.

/** ISO 4217 currencies whose minor unit is not a hundredth. */
const EXPONENTS: Readonly<Record<string, number>> = {
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLP: 0,
  ISK: 0,
  JPY: 0,
  KRW: 0,
  UGX: 0,
  VND: 0,
  XAF: 0,
  XOF: 0,
};

const KNOWN = new Set(Intl.supportedValuesOf('currency'));

export function isKnownCurrency(code: string): boolean {
  return KNOWN.has(code);
}

/** How many decimals the currency's minor unit has: 2 for SAR, 3 for KWD, 0 for JPY. */
export function exponentOf(currency: string): number {
  return EXPONENTS[currency] ?? 2;
}

/** The largest amount the API takes: 999,999,999 of the major unit. */
export const AMOUNT_PATTERN = /^(0|[1-9]\d{0,8})(\.\d{1,3})?$/;

/**
 * A decimal string in the currency's minor units, or why it cannot be: "150.5" SAR → 15050; "1.005" SAR is refused
 * (a fraction of a halala), as are signs, exponents and anything else AMOUNT_PATTERN does not match.
 */
export function parseAmount(text: string, currency: string): { minor: number } | { error: string } {
  if (!AMOUNT_PATTERN.test(text)) return { error: 'must be a non-negative decimal string like "150.00"' };
  const exponent = exponentOf(currency);
  const [whole, fraction = ''] = text.split('.');
  if (fraction.length > exponent) {
    return { error: `has more than the ${exponent} decimal place(s) of ${currency}'s smallest unit` };
  }
  return { minor: Number(whole) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0') };
}

/** 17250 SAR → "172.50"; a negative amount keeps its sign. */
export function formatAmount(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor)) throw new Error(`${minor} is not a whole number of minor units`);
  const exponent = exponentOf(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
