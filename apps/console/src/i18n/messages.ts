// Every word the console shows, in English (en.ts) and Arabic (ar.ts). Arabic must say everything English says: its
// type is English's.
import { en } from './en';

export type Language = 'en' | 'ar';
export type MessageKey = keyof typeof en;

export { en };
export { ar } from './ar';
