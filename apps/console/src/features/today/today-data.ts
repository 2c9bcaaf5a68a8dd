// What Today asks the API, in one place: the page reads it, and the first load asks for it before React has rendered
// anything (the directory and then the clinic's sessions of the day), so the screen is not a waterfall of requests.
import type { QueryClient } from '@tanstack/react-query';
import { clinicToday } from '@agdar/contracts/browser';
import { call } from '../../api/client';
import { DIRECTORY_INPUT, DIRECTORY_OPERATIONS } from '../../api/directory';
import type { QueryOf } from '../../api/endpoints';
import { loadSession } from '../../auth/session';

export function todaySessionsInput(clinicId: string | undefined, today: string | undefined) {
  return { query: { clinicId, from: today, to: today, pageSize: 100 } as QueryOf<'listSessions'> };
}

/** On a signed-in load of Today, starts its requests at once; the page finds them in the cache, done or under way. */
export function prefetchToday(client: QueryClient, url: URL): void {
  if (url.pathname !== '/' || !loadSession()) return;
  for (const operation of DIRECTORY_OPERATIONS) {
    void client.prefetchQuery({
      queryKey: [operation, DIRECTORY_INPUT],
      queryFn: () => call(operation, DIRECTORY_INPUT),
      staleTime: 60000,
    });
  }
  void client
    .fetchQuery({
      queryKey: ['listClinics', DIRECTORY_INPUT],
      queryFn: () => call('listClinics', DIRECTORY_INPUT),
      staleTime: 60000,
    })
    .then((clinics) => {
      const clinic = clinics.items.find((c) => c.id === url.searchParams.get('clinic')) ?? clinics.items[0];
      if (!clinic) return;
      const input = todaySessionsInput(clinic.id, clinicToday(clinic.timezone));
      return client.prefetchQuery({ queryKey: ['listSessions', input], queryFn: () => call('listSessions', input) });
    })
    .catch(() => undefined); // the page asks again and shows what went wrong
}
