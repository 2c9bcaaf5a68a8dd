import { z } from 'zod';
import { dataServiceEnv, env, loadConfig } from '@agdar/service-kit';

export const billingConfigSchema = z.object({ PORT: env.port(3003), ...dataServiceEnv });
export type BillingConfig = z.infer<typeof billingConfigSchema>;

export const loadBillingConfig = (source: NodeJS.ProcessEnv) => loadConfig(billingConfigSchema, source);
