import { Module } from '@nestjs/common';
import { NumberSequences } from '../sessions/numbers';
import { ImportsController } from './imports.controller';
import { ImportsRepository } from './imports.repository';
import { ImportsService } from './imports.service';

@Module({
  controllers: [ImportsController],
  providers: [ImportsService, ImportsRepository, NumberSequences],
})
export class ImportsModule {}
