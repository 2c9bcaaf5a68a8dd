import { Module } from '@nestjs/common';
import { NumberSequences } from './numbers';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({ controllers: [SessionsController], providers: [SessionsService, NumberSequences] })
export class SessionsModule {}
