// Path parameters the endpoints share.
import { z } from 'zod';
import { idSchema } from '../http/fields';

export const idParams = z.strictObject({ id: idSchema });
export const participantParams = z.strictObject({ id: idSchema, pid: idSchema });
