/**
 * PostgreSQL rejects a malformed uuid with an error (22P02), which would surface as an internal
 * error; for us such an id — from a client, or a representation sent straight to a subgraph's
 * `_entities` — is simply an id nobody has. Filter with this before a `uuid` column is queried.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);
