import { attemptOf, outcomeUnknown } from './attempts';

const problem = (status: number, code: string) => ({ status, code, detail: '' });

describe('the Idempotency-Key of a form', () => {
  let n = 0;
  const newKey = () => `key-${++n}`;

  it('keeps its key while it asks the same, and takes a new one when its content changes', () => {
    const first = attemptOf(null, 'pay 172.50', newKey);
    expect(attemptOf(first, 'pay 172.50', newKey)).toBe(first);
    const changed = attemptOf(first, 'pay 100.00', newKey);
    expect(changed.key).not.toBe(first.key);
  });

  it('retries with the same key only when the outcome is unknown: no answer, or a 5xx', () => {
    expect(outcomeUnknown(problem(0, 'NETWORK'))).toBe(true);
    expect(outcomeUnknown(problem(503, 'SERVICE_UNAVAILABLE'))).toBe(true);
    expect(outcomeUnknown(problem(409, 'OVERPAYMENT'))).toBe(false);
    expect(outcomeUnknown(new Error('a bug'))).toBe(false);
  });
});
