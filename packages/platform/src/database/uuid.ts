/**
 * PostgreSQL rejects a malformed uuid with an error (22P02), which would surface as an internal
 * error; for us such an id — from a client, or a representation sent straight to a subgraph's
 * `_entities` — is simply an id nobody has. Filter with this before a `uuid` column is queried.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/**
 * The one spelling of an id wherever it becomes a key (a cache tag, a live route). PostgreSQL
 * reads `5F0C…` and `5f0c…` as the same uuid and writes it back lower-case, so the events about it
 * carry the lower-case form: a key taken from a client's upper-case spelling would never meet
 * them. Anything that is not a uuid is left as it is (nobody has it).
 */
export const canonicalId = (value: string): string => (isUuid(value) ? value.toLowerCase() : value);
