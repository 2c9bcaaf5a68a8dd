export { startParticipantService } from './participant-service';
