export * from './databases.js';
export * from './migrations.js';
export * from './prisma-errors.js';
export * from './sql-transaction.js';
export * from './transactions.js';
export * from './postgres-adapter.js';
export * from './prisma-client-options.js';
export * from './written-columns.js';
