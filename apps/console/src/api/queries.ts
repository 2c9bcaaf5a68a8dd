// Server state through TanStack Query, keyed by the operation and its input, so two screens asking the same thing
// share one request and a change refreshes what it touched.
import { useRef } from 'react';
import { QueryClient, useMutation, useQuery, useQueryClient, UseQueryOptions } from '@tanstack/react-query';
import { Attempt, attemptOf, outcomeUnknown } from './attempts';
import { ApiProblem, call } from './client';
import { BodyOf, OperationId, ParamsOf, QueryOf, ResponseOf } from './endpoints';

type Input<K extends OperationId> = { params?: ParamsOf<K>; query?: QueryOf<K> };

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5000,
        // A problem answer is an answer: asking again changes nothing. Only an unreachable platform is retried.
        retry: (count, error) => error instanceof ApiProblem && error.code === 'NETWORK' && count < 2,
        refetchOnWindowFocus: true,
      },
    },
  });
}

export function useApi<K extends OperationId>(
  operation: K,
  input: Input<K> = {},
  options: Omit<UseQueryOptions<ResponseOf<K>, ApiProblem>, 'queryKey' | 'queryFn'> = {},
) {
  return useQuery<ResponseOf<K>, ApiProblem>({
    queryKey: [operation, input],
    queryFn: () => call(operation, input),
    ...options,
  });
}

/**
 * A change through the API. On success the queries of the operations named in `refreshes` are refetched (a session's
 * roster after a check-in, the invoice list after a payment). A create retried after a lost answer or a 5xx, with the
 * same content, goes out with the same Idempotency-Key (attemptOf): the second click replays, it does not repeat.
 */
export function useApiMutation<K extends OperationId>(operation: K, refreshes: OperationId[] = []) {
  const client = useQueryClient();
  const pending = useRef<Attempt | null>(null);
  return useMutation<ResponseOf<K>, ApiProblem, Input<K> & { body?: BodyOf<K> }>({
    mutationFn: (input) => {
      const attempt = attemptOf(pending.current, JSON.stringify([operation, input]), () => crypto.randomUUID());
      pending.current = attempt;
      return call(operation, input, attempt.key);
    },
    onError: (error) => {
      if (!outcomeUnknown(error)) pending.current = null; // answered: nothing was done, a retry is a new request
    },
    onSuccess: () => {
      pending.current = null;
      return Promise.all(refreshes.map((op) => client.invalidateQueries({ queryKey: [op] }))).then(() => undefined);
    },
  });
}
