import fc from 'fast-check';
import { exponentOf, formatAmount, isKnownCurrency, parseAmount } from './money';

describe('money', () => {
  it.each([
    ['150', 'SAR', 15000],
    ['150.5', 'SAR', 15050],
    ['150.05', 'SAR', 15005],
    ['0.01', 'SAR', 1],
    ['0', 'SAR', 0],
    ['1.234', 'KWD', 1234],
    ['1500', 'JPY', 1500],
  ])('reads %s %s as %i minor units', (text, currency, minor) => {
    expect(parseAmount(text, currency)).toEqual({ minor });
  });

  it.each([
    ['1.005', 'SAR', 'decimal place'],
    ['1.5', 'JPY', 'decimal place'],
    ['-1.00', 'SAR', 'non-negative'],
    ['1e3', 'SAR', 'non-negative'],
    ['01.00', 'SAR', 'non-negative'],
    ['1,000.00', 'SAR', 'non-negative'],
    [' 1.00', 'SAR', 'non-negative'],
    ['1000000000', 'SAR', 'non-negative'],
  ])('refuses %s %s', (text, currency, why) => {
    const parsed = parseAmount(text, currency);
    expect('error' in parsed && parsed.error).toContain(why);
  });

  it.each([
    [17250, 'SAR', '172.50'],
    [5, 'SAR', '0.05'],
    [-5, 'SAR', '-0.05'],
    [1234, 'KWD', '1.234'],
    [1500, 'JPY', '1500'],
  ])('writes %i %s as %s', (minor, currency, text) => {
    expect(formatAmount(minor, currency)).toBe(text);
  });

  it('reads back whatever it writes, in every exponent', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), fc.constantFrom('SAR', 'KWD', 'JPY'), (minor, cur) => {
        const text = formatAmount(minor, cur);
        fc.pre(text.split('.')[0].length <= 9);
        expect(parseAmount(text, cur)).toEqual({ minor });
      }),
    );
  });

  it('knows ISO 4217 currencies and their minor units', () => {
    expect(isKnownCurrency('SAR')).toBe(true);
    expect(isKnownCurrency('XYZ')).toBe(false);
    expect([exponentOf('SAR'), exponentOf('KWD'), exponentOf('JPY')]).toEqual([2, 3, 0]);
  });
});
