import { Controller, Get, Patch, Post } from '@nestjs/common';
import { patientQuerySchema, PatientQuery, RegisterPatient, registerPatientSchema, UpdatePatient, updatePatientSchema } from '@agdar/contracts';
import { AuthUser, CurrentUser, IdParam, Roles, ValidBody, ValidQuery } from '@agdar/service-kit';
import { PatientsService } from './patients.service';

@Controller('patients')
export class PatientsController {
  constructor(private readonly patients: PatientsService) {}

  @Post()
  @Roles('admin', 'reception')
  register(@CurrentUser() user: AuthUser, @ValidBody(registerPatientSchema) body: RegisterPatient) {
    return this.patients.register(user, body);
  }

  @Get()
  @Roles('admin', 'reception')
  search(@CurrentUser() user: AuthUser, @ValidQuery(patientQuerySchema) query: PatientQuery) {
    return this.patients.search(user, query);
  }

  @Get(':id')
  @Roles('admin', 'reception')
  get(@CurrentUser() user: AuthUser, @IdParam() id: string) {
    return this.patients.get(user, id);
  }

  @Patch(':id')
  @Roles('admin', 'reception')
  update(@CurrentUser() user: AuthUser, @IdParam() id: string, @ValidBody(updatePatientSchema) body: UpdatePatient) {
    return this.patients.update(user, id, body);
  }
}
