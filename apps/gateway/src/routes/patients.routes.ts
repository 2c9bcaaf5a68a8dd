import { Controller, Get, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { consentSchema, pageSchema, patientQuerySchema, PatientQuery, patientSchema, recordConsentSchema, RegisterPatient, registerPatientSchema, updatePatientSchema } from '@agdar/contracts';
import { IdParam, Roles, ValidBody, ValidQuery } from '@agdar/service-kit';
import { Endpoint } from '../openapi';
import { Upstream } from '../upstream/upstream';

@ApiTags('patients')
@Controller('patients')
export class PatientsRoutes {
  constructor(private readonly upstream: Upstream) {}

  @Post()
  @Roles('admin', 'reception')
  @Endpoint({ summary: 'Register a patient', body: registerPatientSchema, response: patientSchema, status: 201, problems: [415, 422] })
  register(@Req() req: Request, @Res() res: Response, @ValidBody(registerPatientSchema) body: RegisterPatient) {
    return this.upstream.forward(req, res, 'participant', { path: '/patients', body });
  }

  @Get()
  @Roles('admin', 'reception')
  @Endpoint({ summary: 'Search patients by name, email or phone', query: patientQuerySchema, response: pageSchema(patientSchema) })
  search(@Req() req: Request, @Res() res: Response, @ValidQuery(patientQuerySchema) query: PatientQuery) {
    return this.upstream.forward(req, res, 'participant', { path: '/patients', query });
  }

  @Get(':id')
  @Roles('admin', 'reception')
  @Endpoint({ summary: 'A patient', response: patientSchema, problems: [404] })
  get(@Req() req: Request, @Res() res: Response, @IdParam() id: string) {
    return this.upstream.forward(req, res, 'participant', { path: `/patients/${id}` });
  }

  @Patch(':id')
  @Roles('admin', 'reception')
  @Endpoint({
    summary: 'Change a patient: names, birth date, contacts, language, channels, guardian (null clears an optional field); publishes PatientUpdated',
    body: updatePatientSchema,
    response: patientSchema,
    problems: [404],
  })
  update(@Req() req: Request, @Res() res: Response, @IdParam() id: string, @ValidBody(updatePatientSchema) body: unknown) {
    return this.upstream.forward(req, res, 'participant', { method: 'PATCH', path: `/patients/${id}`, body });
  }

  @Post(':id/consents')
  @Roles('admin', 'reception')
  @Endpoint({ summary: 'Record a consent; a TREATMENT consent makes the patient consent-verified for check-in', body: recordConsentSchema, response: consentSchema, status: 201, problems: [404, 422] })
  recordConsent(@Req() req: Request, @Res() res: Response, @IdParam() id: string, @ValidBody(recordConsentSchema) body: unknown) {
    return this.upstream.forward(req, res, 'participant', { path: `/patients/${id}/consents`, body });
  }
}
