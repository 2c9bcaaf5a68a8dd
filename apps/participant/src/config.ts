import { z } from 'zod';
import { dataServiceEnv, env, loadConfig } from '@agdar/service-kit';

export const participantConfigSchema = z.object({ PORT: env.port(3002), ...dataServiceEnv });
export type ParticipantConfig = z.infer<typeof participantConfigSchema>;

export const loadParticipantConfig = (source: NodeJS.ProcessEnv) => loadConfig(participantConfigSchema, source);
