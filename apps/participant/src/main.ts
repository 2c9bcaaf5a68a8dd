import 'reflect-metadata';
import { mainOf } from '@agdar/service-kit';
import { startParticipantService } from './participant-service';

mainOf('participant', startParticipantService);
