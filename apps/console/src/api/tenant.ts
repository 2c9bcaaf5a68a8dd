// The signed-in user's tenant, as GET /api/me describes it: what the console needs of its rules.
import { DEFAULT_EARLY_MINUTES } from '../features/sessions/session-rules';
import { useApi } from './queries';

/** How early the tenant lets a session start and its patients check in; the default until /me has answered. */
export function useEarlyMinutes(): number {
  const me = useApi('me', {}, { staleTime: 5 * 60000 });
  return me.data?.tenant.earlyStartMinutes ?? DEFAULT_EARLY_MINUTES;
}
