import { z } from 'zod';
import { dataServiceEnv, env, loadConfig } from '@agdar/service-kit';

export const schedulingConfigSchema = z.object({ PORT: env.port(3001), ...dataServiceEnv });
export type SchedulingConfig = z.infer<typeof schedulingConfigSchema>;

export const loadSchedulingConfig = (source: NodeJS.ProcessEnv) => loadConfig(schedulingConfigSchema, source);
