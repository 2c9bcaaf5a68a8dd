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

  @Implements(DirectoryApi.getClinic)
  getClinic(@CurrentUser() user: AuthUser, @Input() { params }: In<'getClinic'>) {
    return this.directory.getClinic(user, params.id);
  }

  @Implements(DirectoryApi.updateClinic)
  updateClinic(@CurrentUser() user: AuthUser, @Input() { params, body }: In<'updateClinic'>) {
    return this.directory.updateClinic(user, params.id, body);
  }

  @Implements(DirectoryApi.getRoom)
  getRoom(@CurrentUser() user: AuthUser, @Input() { params }: In<'getRoom'>) {
    return this.directory.getRoom(user, params.id);
  }

  @Implements(DirectoryApi.updateRoom)
  updateRoom(@CurrentUser() user: AuthUser, @Input() { params, body }: In<'updateRoom'>) {
    return this.directory.updateRoom(user, params.id, body);
  }

  @Implements(DirectoryApi.getProvider)
  getProvider(@CurrentUser() user: AuthUser, @Input() { params }: In<'getProvider'>) {
    return this.directory.getProvider(user, params.id);
  }

  @Implements(DirectoryApi.updateProvider)
  updateProvider(@CurrentUser() user: AuthUser, @Input() { params, body }: In<'updateProvider'>) {
    return this.directory.updateProvider(user, params.id, body);
  }

  @Implements(DirectoryApi.getServiceType)
  getServiceType(@CurrentUser() user: AuthUser, @Input() { params }: In<'getServiceType'>) {
    return this.directory.getServiceType(user, params.id);
  }

  @Implements(DirectoryApi.updateServiceType)
  updateServiceType(@CurrentUser() user: AuthUser, @Input() { params, body }: In<'updateServiceType'>) {
    return this.directory.updateServiceType(user, params.id, body);
  }
}
