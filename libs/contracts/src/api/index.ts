// The whole HTTP API, one declaration per endpoint.
import { AnyEndpoint } from '../http/endpoint';
import * as BillingApi from './billing.api';
import * as DirectoryApi from './directory.api';
import * as ImportsApi from './imports.api';
import * as NotificationsApi from './notifications.api';
import * as PatientsApi from './patients.api';
import * as SessionsApi from './sessions.api';
import * as TenantsApi from './tenants.api';

export { BillingApi, DirectoryApi, ImportsApi, NotificationsApi, PatientsApi, SessionsApi, TenantsApi };

export const API_ENDPOINTS: readonly AnyEndpoint[] = [
  TenantsApi,
  PatientsApi,
  DirectoryApi,
  SessionsApi,
  BillingApi,
  NotificationsApi,
  ImportsApi,
].flatMap((group) => Object.values(group) as AnyEndpoint[]);
