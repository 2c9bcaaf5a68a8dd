// The endpoints the console calls, typed by their declarations in the contracts: a request's params, query and body
// and its answer are the API's own types (imported as types only; the browser never loads the schemas). Method, path
// and roles come from the same declarations through the build (`virtual:agdar-endpoints`).
import type {
  BillingApi,
  DirectoryApi,
  EndpointAnswer,
  EndpointRequest,
  ImportsApi,
  NotificationsApi,
  PatientsApi,
  Role,
  SessionsApi,
  TenantsApi,
} from '@agdar/contracts';
import table from 'virtual:agdar-endpoints';

type Declarations = typeof BillingApi &
  typeof DirectoryApi &
  typeof ImportsApi &
  typeof NotificationsApi &
  typeof PatientsApi &
  typeof SessionsApi &
  typeof TenantsApi;

export type OperationId = keyof Declarations & string;

export type RequestOf<K extends OperationId> = EndpointRequest<Declarations[K]>;
export type ParamsOf<K extends OperationId> = RequestOf<K>['params'];
export type QueryOf<K extends OperationId> = RequestOf<K>['query'];
export type BodyOf<K extends OperationId> = RequestOf<K>['body'];
export type ResponseOf<K extends OperationId> = EndpointAnswer<Declarations[K]>;

export interface EndpointAccess {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  roles: readonly Role[];
  produces?: string;
}

export const ENDPOINTS = table as Record<OperationId, EndpointAccess>;

/** Whether a user with these roles may call the endpoint: what the console shows follows from it. */
export function mayCall(roles: readonly Role[], operation: OperationId): boolean {
  const endpoint = ENDPOINTS[operation];
  return !!endpoint && endpoint.roles.some((r) => roles.includes(r));
}
