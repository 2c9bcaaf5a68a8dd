// Lets a session's time come in a test. The API rightly refuses to schedule the past, and rules such as "no-shows
// wait 15 minutes after the start" are about the clock; so a test schedules a session ahead, then moves it (and its
// seats) in scheduling's database to have started a while ago, as the clock would have.
import { sql } from './databases';

let moved = 0;

/**
 * Moves a session of scheduling's database at `databaseUrl` to have started a while ago: `exactlyMinutesAgo` when a
 * test is about the minutes (keep those within the last 480 minutes, one per room, provider and patient); otherwise
 * long enough ago for every rule of the clock, each call a further 490 minutes back (the longest session and a
 * margin) so that sessions moved this way never overlap on a room, provider or patient.
 */
export async function letSessionBegin(
  databaseUrl: string,
  sessionId: string,
  exactlyMinutesAgo?: number,
): Promise<Date> {
  const minutesAgo = exactlyMinutesAgo ?? ++moved * 490;
  const startsAt = new Date(Date.now() - minutesAgo * 60000);
  const [session] = await sql<{ id: string }>(
    databaseUrl,
    `update sessions
        set starts_at = $2, ends_at = $2::timestamptz + duration_minutes * interval '1 minute',
            scheduled_date = ($2::timestamptz at time zone timezone)::date,
            scheduled_time = to_char($2::timestamptz at time zone timezone, 'HH24:MI')
      where id = $1 returning id`,
    [sessionId, startsAt],
  );
  if (!session) throw new Error(`letSessionBegin: no session ${sessionId} in ${databaseUrl}`);
  await sql(
    databaseUrl,
    `update participants p set starts_at = s.starts_at, ends_at = s.ends_at
       from sessions s where s.id = $1 and p.session_id = s.id`,
    [sessionId],
  );
  return startsAt;
}
