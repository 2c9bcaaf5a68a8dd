import { defineEndpoint } from '../http/endpoint';
import { pageSchema } from '../http/paging';
import { namedResponse } from '../http/schema-names';
import {
  deliveriesQuerySchema,
  deliverySchema,
  notificationSettingsBodySchema,
  notificationSettingsSchema,
} from '../http/notifications';

const common = { service: 'notification', tag: 'notifications' } as const;

export const listDeliveries = defineEndpoint({
  ...common,
  operationId: 'listDeliveries',
  method: 'GET',
  path: '/notifications',
  roles: ['admin', 'reception'],
  summary: 'The delivery log: every message to a patient or the staff, newest first',
  description:
    'One row per message and channel: what it is about, to whom (masked), in which language, and whether it was ' +
    'sent, failed (with the provider answer) or skipped (with why).',
  query: deliveriesQuerySchema,
  response: namedResponse('DeliveryPage', pageSchema(deliverySchema)),
});

export const getNotificationSettings = defineEndpoint({
  ...common,
  operationId: 'getNotificationSettings',
  method: 'GET',
  path: '/notifications/settings',
  roles: ['admin'],
  summary: 'Reminder offsets, quiet hours and the staff address',
  description: 'Until they are set: reminders 24 h and 2 h before the start, no quiet hours, no staff address.',
  response: notificationSettingsBodySchema,
});

export const setNotificationSettings = defineEndpoint({
  ...common,
  operationId: 'setNotificationSettings',
  method: 'PUT',
  path: '/notifications/settings',
  roles: ['admin'],
  summary: 'Set reminder offsets, quiet hours and the staff address',
  description:
    'New offsets apply to bookings made from now on and to sessions moved from now on; reminders already ' +
    'scheduled keep their time.',
  body: notificationSettingsSchema,
  response: notificationSettingsBodySchema,
});
