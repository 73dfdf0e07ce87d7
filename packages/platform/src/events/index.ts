export * from './causation.js';
export * from './event-bus.js';
export * from './event-consumer.js';
export * from './housekeeping.js';
export * from './outbox-relay.js';
export * from './outbox.js';
export * from './save-with-events.js';
export * from './stream-reader.js';
