// The tenant's reference data, read once per screen visit: clinics (with their time zone), rooms, providers and
// service types, and lookups by id for the screens that show a session.
import { useMemo } from 'react';
import { useApi } from './queries';

/** Every clinic, room, provider and service type of a tenant fits one page: clinics have a handful of each. */
export const DIRECTORY_INPUT = { query: { pageSize: 100 } };
const ALL = DIRECTORY_INPUT;
export const DIRECTORY_OPERATIONS = ['listClinics', 'listRooms', 'listProviders', 'listServiceTypes'] as const;

export function useDirectory() {
  const clinics = useApi('listClinics', ALL, { staleTime: 60000 });
  const rooms = useApi('listRooms', ALL, { staleTime: 60000 });
  const providers = useApi('listProviders', ALL, { staleTime: 60000 });
  const serviceTypes = useApi('listServiceTypes', ALL, { staleTime: 60000 });
  return useMemo(() => {
    const byId = <T extends { id: string }>(items: T[] | undefined) => new Map((items ?? []).map((i) => [i.id, i]));
    return {
      loading: clinics.isLoading || rooms.isLoading || providers.isLoading || serviceTypes.isLoading,
      error: clinics.error ?? rooms.error ?? providers.error ?? serviceTypes.error,
      clinics: clinics.data?.items ?? [],
      rooms: rooms.data?.items ?? [],
      providers: providers.data?.items ?? [],
      serviceTypes: serviceTypes.data?.items ?? [],
      clinic: byId(clinics.data?.items),
      room: byId(rooms.data?.items),
      provider: byId(providers.data?.items),
      serviceType: byId(serviceTypes.data?.items),
    };
  }, [clinics, rooms, providers, serviceTypes]);
}

export type Directory = ReturnType<typeof useDirectory>;

/** The clinic's IANA zone; UTC only while the clinic is still loading. */
export function zoneOf(directory: Directory, clinicId: string | undefined): string {
  return (clinicId && directory.clinic.get(clinicId)?.timezone) || 'UTC';
}
