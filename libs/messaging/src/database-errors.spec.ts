import { errorSummary, errorTrace, isDatabaseUnavailable, isPassingFailure } from './database-errors';

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }],
    ['a connection dropped mid-query', { message: 'Connection terminated unexpectedly' }],
    [
      'a pool that could not connect in time',
      { message: 'Knex: Timeout acquiring a connection. The pool is probably full.' },
    ],
    [
      'an administrator shutdown (57P01)',
      { code: '57P01', message: 'terminating connection due to administrator command' },
    ],
    ['a server starting up (57P03)', { code: '57P03', message: 'the database system is starting up' }],
    ['too many connections (53300)', { code: '53300', message: 'sorry, too many clients already' }],
    ['a connection failure class 08 state', { sqlState: '08006', message: 'connection failure' }],
    ["MikroORM's ConnectionException", { name: 'ConnectionException', message: 'whatever' }],
    [
      'a transaction whose connection broke under it',
      { name: 'DriverException', message: 'Transaction query already complete, run with DEBUG=knex:tx for more info' },
    ],
  ])('says yes to %s', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', { code: '23505', message: 'duplicate key value violates unique constraint' }],
    ['an exclusion violation', { code: '23P01', message: 'conflicting key value violates exclusion constraint' }],
    ['a handler bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['nothing at all', undefined],
  ])('says no to %s', (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('isPassingFailure', () => {
  it.each([
    ['a deadlock (40P01)', { code: '40P01', message: 'deadlock detected' }],
    ['a serialisation failure (40001)', { code: '40001', message: 'could not serialize access' }],
    ['a lock timeout (55P03)', { code: '55P03', message: 'could not obtain lock' }],
    ['a statement timeout (57014)', { code: '57014', message: 'canceling statement due to statement timeout' }],
    ['a database that is away', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }],
  ])('retries %s', (_label, error) => {
    expect(isPassingFailure(error)).toBe(true);
  });

  it.each([
    ['a unique violation', { code: '23505', message: 'duplicate key value violates unique constraint' }],
    ['an upsert that touches one row twice (21000)', { code: '21000', message: 'cannot affect row a second time' }],
    ['a handler bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a plain error', new Error('the settings make this fail every time')],
  ])('dead-letters %s at once', (_label, error) => {
    expect(isPassingFailure(error)).toBe(false);
  });
});

describe('errorSummary', () => {
  /** What MikroORM throws for a unique violation: knex put the statement and its values in the message. */
  const clash = Object.assign(
    new Error(
      `insert into "patients" ("email") values ('amal@example.com') - duplicate key value violates unique constraint "patients_email"`,
    ),
    {
      name: 'UniqueConstraintViolationException',
      code: '23505',
      sqlState: '23505',
      severity: 'ERROR',
      constraint: 'patients_email',
      table: 'patients',
      detail: 'Key (email)=(amal@example.com) already exists.',
    },
  );

  it("keeps a database error's kind, SQLSTATE, constraint and table, and none of its values", () => {
    expect(errorSummary(clash)).toBe(
      'UniqueConstraintViolationException (SQLSTATE 23505, constraint patients_email, table patients)',
    );
    expect(errorTrace(clash)).not.toContain('amal@example.com');
    expect(errorTrace(clash)?.split('\n')[1]).toMatch(/^\s+at /);
  });

  it("keeps PostgreSQL's own error by its SQLSTATE, and the first line of any other failure", () => {
    const pgError = { name: 'error', code: '23514', severity: 'ERROR', message: 'new row for relation "x" violates…' };
    expect(errorSummary(pgError)).toBe('error (SQLSTATE 23514)');
    expect(errorSummary(new Error('the tenant is not known\nmore'))).toBe('the tenant is not known');
    expect(errorSummary({ code: 'EPIPE', message: 'write EPIPE' })).toBe('write EPIPE');
  });
});
