import { Fatal, Help, optionsOf } from './options';

const env = { IMPORT_TOKEN: 'token' };
const fatal = (argv: string[]) => {
  try {
    optionsOf(argv, env);
  } catch (error) {
    return error instanceof Fatal ? error.message : `not Fatal: ${error}`;
  }
  return 'accepted';
};

describe("the importer's command line", () => {
  it('reads a file run and a table run', () => {
    expect(optionsOf(['legacy.csv', '--tenant', 'AGDAR', '--dry-run', '--batch', '20'], env)).toMatchObject({
      file: 'legacy.csv',
      database: null,
      tenant: 'AGDAR',
      dryRun: true,
      createMissing: false,
      batch: 20,
      token: 'token',
    });
    const table = ['--from-database', 'postgres://h/db', '--table', 'old.appointments', '--tenant', 'AGDAR'];
    expect(optionsOf(table, env)).toMatchObject({ file: null, database: 'postgres://h/db', table: 'old.appointments' });
  });

  it('answers --help alone, whatever else is missing', () => {
    expect(() => optionsOf(['--help'], {})).toThrow(Help);
    expect(() => optionsOf(['-h'], {})).toThrow(Help);
  });

  it.each([
    [['legacy.csv', '--tenant', 'AGDAR', '--dryrun'], "Unknown option '--dryrun'"],
    [['legacy.csv', 'more.csv', '--tenant', 'AGDAR'], 'name one CSV file, not 2; see --help'],
    [['legacy.csv'], '--tenant is required'],
    [['legacy.csv', '--tenant', 'agdar'], '--tenant is required'],
    [['--tenant', 'AGDAR'], 'name one source'],
    [['--from-database', 'postgres://h/db', '--tenant', 'AGDAR'], '--table is required'],
    [['legacy.csv', '--tenant', 'AGDAR', '--batch', '0'], '--batch must be 1-'],
    [['legacy.csv', '--tenant'], "Option '--tenant <value>' argument missing"],
  ])('stops %j in one line: %s', (argv, line) => {
    const message = fatal(argv);
    expect(message).toContain(line);
    expect(message).not.toContain('\n');
  });
});
