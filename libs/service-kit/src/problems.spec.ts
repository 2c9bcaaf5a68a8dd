import { problemFromDatabaseError } from './problems';

describe('database errors as problems', () => {
  it.each([
    [
      'a NUL byte PostgreSQL refuses (22021)',
      { code: '22021', message: 'invalid byte sequence for encoding "UTF8": 0x00' },
      400,
    ],
    ['a number out of range (22003)', { code: '22003', message: 'integer out of range' }, 400],
    ['a value refused with a message that mentions a reset', { code: '22P02', message: 'ECONNRESET in text' }, 400],
    ['a connection refused', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 503],
    ['a unique violation', { code: '23505', message: 'duplicate key' }, 409],
  ])('%s answers %i', (_label, error, status) => {
    expect(problemFromDatabaseError(error, {})?.status).toBe(status);
  });
});
