// Reading the legacy appointments: a CSV file (UTF-8 that must be UTF-8, records rather than lines) or a PostgreSQL
// table read through a cursor, each in a fixed order and streamed as the run needs them. A file that cannot be read
// stops the run in one line naming where and what to do.
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { Transform } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { Client } from 'pg';
import { COLUMNS, LegacyRow } from './import-rules';
import { Fatal, Options } from './options';

/**
 * The longest record a legacy file may hold, in characters: a row of every column with 4000 characters of notes stays
 * far below it, and one above it is a quote left open, which would swallow the rows after it.
 */
export const MAX_RECORD_CHARACTERS = 65_536;

/** Where the rows come from, for the run's first line. */
export function sourceName(options: Options): string {
  return options.file ? resolve(options.file) : `${options.table} (${new URL(options.database!).host})`;
}

/** How many records the source holds. Reading the whole file first also finds what would stop the run. */
export async function countRows(options: Options): Promise<number> {
  if (options.database) {
    const client = new Client({ connectionString: options.database });
    await client.connect();
    try {
      const [{ n }] = (await client.query(`select count(*)::int as n from ${quoted(options.table!)}`)).rows;
      return n;
    } finally {
      await client.end();
    }
  }
  // Records, not lines: notes may hold line breaks.
  let records = 0;
  for await (const _ of csvRecordsOf(options.file!)) records++;
  return records;
}

/** The source's rows in a fixed order (the file's, or the table's by appointment number), read as they are needed. */
export async function* rowsOf(options: Options): AsyncGenerator<LegacyRow> {
  if (options.file) {
    yield* csvRecordsOf(options.file);
    return;
  }
  const client = new Client({ connectionString: options.database! });
  await client.connect();
  try {
    await client.query('begin read only');
    await client.query(
      `declare legacy no scroll cursor for select * from ${quoted(options.table!)} order by "${COLUMNS.appointmentNumber}"`,
    );
    for (;;) {
      const { rows } = await client.query('fetch 500 from legacy');
      if (!rows.length) break;
      yield* rows;
    }
    await client.query('commit');
  } finally {
    await client.end();
  }
}

/**
 * The file's records, read as UTF-8 that must be UTF-8: a Windows-1256 or Latin-1 export would otherwise turn every
 * Arabic name into replacement characters without a word.
 */
function csvRecordsOf(file: string): AsyncIterable<LegacyRow> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const utf8 = new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, done) {
      try {
        done(null, decoder.decode(chunk, { stream: true }));
      } catch {
        done(new NotUtf8(file));
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch {
        done(new NotUtf8(file));
      }
    },
  });
  const parser = parse({
    columns: true,
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
    max_record_size: MAX_RECORD_CHARACTERS,
  });
  utf8.on('error', (error) => parser.destroy(error));
  return readingErrorsOf(file, createReadStream(file).pipe(utf8).pipe(parser));
}

class NotUtf8 extends Fatal {
  constructor(file: string) {
    super(
      `${file} is not UTF-8 text (an Excel "CSV" or a Windows-1256 export?): save it as "CSV UTF-8", ` +
        `or convert it with iconv -f WINDOWS-1256 -t UTF-8 ${file} > utf8.csv, and import that`,
    );
  }
}

/** The parser's failures as one line each, naming the line of the file and what to do. */
async function* readingErrorsOf(file: string, records: AsyncIterable<LegacyRow>): AsyncIterable<LegacyRow> {
  try {
    yield* records;
  } catch (error) {
    if (error instanceof Fatal) throw error;
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines;
    const where = `${file}${line ? `, line ${line}` : ''}`;
    if (error.code === 'CSV_MAX_RECORD_SIZE')
      throw new Fatal(
        `${where}: a record longer than ${MAX_RECORD_CHARACTERS} characters, most likely a quote left open; ` +
          'close it and run again',
      );
    throw new Fatal(`${where}: ${error.message.replace(/^Invalid /, 'invalid ')}; fix the file and run again`);
  }
}

const quoted = (table: string) =>
  table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
