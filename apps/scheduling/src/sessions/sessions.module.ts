import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { NumberSequences } from './numbers';
import { SessionsController } from './sessions.controller';
import { SessionsRepository } from './sessions.repository';
import { ParticipantsService } from './participants.service';
import { SessionsService } from './sessions.service';

@Module({
  imports: [DirectoryModule],
  controllers: [SessionsController],
  providers: [SessionsService, ParticipantsService, SessionsRepository, NumberSequences],
  // One set of number sequences per process: imported appointments reserve their numbers in the same one.
  exports: [NumberSequences],
})
export class SessionsModule {}
