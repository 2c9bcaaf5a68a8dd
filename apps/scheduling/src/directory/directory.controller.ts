import { Controller, Get, Post } from '@nestjs/common';
import {
  CreateClinic,
  createClinicSchema,
  CreateProvider,
  createProviderSchema,
  CreateRoom,
  createRoomSchema,
  CreateServiceType,
  createServiceTypeSchema,
  DirectoryQuery,
  directoryQuerySchema,
} from '@agdar/contracts';
import { AuthUser, CurrentUser, Roles, STAFF, ValidBody, ValidQuery } from '@agdar/service-kit';
import { DirectoryService } from './directory.service';

@Controller()
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Post('clinics')
  @Roles('admin')
  createClinic(@CurrentUser() user: AuthUser, @ValidBody(createClinicSchema) body: CreateClinic) {
    return this.directory.createClinic(user, body);
  }

  @Get('clinics')
  @Roles(...STAFF)
  listClinics(@CurrentUser() user: AuthUser, @ValidQuery(directoryQuerySchema) query: DirectoryQuery) {
    return this.directory.listClinics(user, query);
  }

  @Post('rooms')
  @Roles('admin')
  createRoom(@CurrentUser() user: AuthUser, @ValidBody(createRoomSchema) body: CreateRoom) {
    return this.directory.createRoom(user, body);
  }

  @Get('rooms')
  @Roles(...STAFF)
  listRooms(@CurrentUser() user: AuthUser, @ValidQuery(directoryQuerySchema) query: DirectoryQuery) {
    return this.directory.listRooms(user, query);
  }

  @Post('providers')
  @Roles('admin')
  createProvider(@CurrentUser() user: AuthUser, @ValidBody(createProviderSchema) body: CreateProvider) {
    return this.directory.createProvider(user, body);
  }

  @Get('providers')
  @Roles(...STAFF)
  listProviders(@CurrentUser() user: AuthUser, @ValidQuery(directoryQuerySchema) query: DirectoryQuery) {
    return this.directory.listProviders(user, query);
  }

  @Post('service-types')
  @Roles('admin')
  createServiceType(@CurrentUser() user: AuthUser, @ValidBody(createServiceTypeSchema) body: CreateServiceType) {
    return this.directory.createServiceType(user, body);
  }

  @Get('service-types')
  @Roles(...STAFF)
  listServiceTypes(@CurrentUser() user: AuthUser, @ValidQuery(directoryQuerySchema) query: DirectoryQuery) {
    return this.directory.listServiceTypes(user, query);
  }
}
