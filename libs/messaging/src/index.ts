export * from './messaging.entities';
export * from './kafka';
export * from './outbox';
export * from './background-loop';
export * from './outbox-relay';
export * from './event-consumer';
export * from './database-errors';
