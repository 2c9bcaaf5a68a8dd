import { bilingualName, clockPlus, formatClock, formatDate, formatInstant, formatMoney, interpolate } from './format';

describe('how the console writes dates, times, money and names', () => {
  it('shows an instant in the clinic zone, Gregorian with Latin digits in Arabic too', () => {
    const at = '2026-12-01T06:30:00Z';
    expect(formatInstant(at, 'Asia/Riyadh', 'en')).toBe('1 Dec 2026, 09:30');
    const arabic = formatInstant(at, 'Asia/Riyadh', 'ar');
    expect(arabic).toContain('2026');
    expect(arabic).toContain('9:30');
    expect(arabic).not.toMatch(/[٠-٩]/);
  });

  it('writes clinic-local dates and clocks without shifting them through the browser zone', () => {
    expect(formatDate('2026-12-01', 'en')).toBe('Tue, 1 Dec 2026');
    expect(formatDate('2026-12-01', 'ar')).toContain('ديسمبر');
    expect(formatClock('14:05', 'en')).toBe('14:05');
    expect(formatClock('14:05', 'ar')).toMatch(/2:05/);
  });

  it('adds minutes to a clock across midnight', () => {
    expect(clockPlus('09:30', 45)).toBe('10:15');
    expect(clockPlus('23:30', 60)).toBe('00:30');
  });

  it('writes amounts as the API gives them, with the currency in the reader language', () => {
    expect(formatMoney('172.50', 'SAR', 'en')).toBe('172.50 SAR');
    expect(formatMoney('172.50', 'SAR', 'ar')).toBe('172.50 ر.س');
    expect(formatMoney(null, 'SAR', 'en')).toBe('');
  });

  it('shows a name in the chosen script with the other as a hint', () => {
    expect(bilingualName('Lina Haddad', 'لينا حداد', 'ar')).toEqual({ primary: 'لينا حداد', hint: 'Lina Haddad' });
    expect(bilingualName('Lina Haddad', 'لينا حداد', 'en')).toEqual({ primary: 'Lina Haddad', hint: 'لينا حداد' });
    expect(bilingualName('Lina Haddad', null, 'ar')).toEqual({ primary: 'Lina Haddad', hint: null });
  });

  it('fills named values and leaves unknown ones visible', () => {
    expect(interpolate('{current}/{max}', { current: 2, max: 3 })).toBe('2/3');
    expect(interpolate('Hello {name}')).toBe('Hello {name}');
  });
});
