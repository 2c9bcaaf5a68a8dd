export * from './infrastructure';
export * from './test-env';
export * from './databases';
export * from './eventually';
export * from './api-client';
export * from './kafka-reader';
export * from './platform';
export * from './tcp-proxy';
