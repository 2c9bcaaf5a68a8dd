import { Controller } from '@nestjs/common';
import { DirectoryApi, EndpointInput } from '@agdar/contracts';
import { AuthUser, CurrentUser, Implements, Input } from '@agdar/service-kit';
import { DirectoryService } from './directory.service';

type In<E extends keyof typeof DirectoryApi> = EndpointInput<(typeof DirectoryApi)[E]>;

@Controller()
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Implements(DirectoryApi.createClinic)
  createClinic(@CurrentUser() user: AuthUser, @Input() { body }: In<'createClinic'>) {
    return this.directory.createClinic(user, body);
  }

  @Implements(DirectoryApi.listClinics)
  listClinics(@CurrentUser() user: AuthUser, @Input() { query }: In<'listClinics'>) {
    return this.directory.listClinics(user, query);
  }

  @Implements(DirectoryApi.createRoom)
  createRoom(@CurrentUser() user: AuthUser, @Input() { body }: In<'createRoom'>) {
    return this.directory.createRoom(user, body);
  }

  @Implements(DirectoryApi.listRooms)
  listRooms(@CurrentUser() user: AuthUser, @Input() { query }: In<'listRooms'>) {
    return this.directory.listRooms(user, query);
  }

  @Implements(DirectoryApi.createProvider)
  createProvider(@CurrentUser() user: AuthUser, @Input() { body }: In<'createProvider'>) {
    return this.directory.createProvider(user, body);
  }

  @Implements(DirectoryApi.listProviders)
  listProviders(@CurrentUser() user: AuthUser, @Input() { query }: In<'listProviders'>) {
    return this.directory.listProviders(user, query);
  }

  @Implements(DirectoryApi.createServiceType)
  createServiceType(@CurrentUser() user: AuthUser, @Input() { body }: In<'createServiceType'>) {
    return this.directory.createServiceType(user, body);
  }

  @Implements(DirectoryApi.listServiceTypes)
  listServiceTypes(@CurrentUser() user: AuthUser, @Input() { query }: In<'listServiceTypes'>) {
    return this.directory.listServiceTypes(user, query);
  }
}
