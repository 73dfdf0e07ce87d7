#!/bin/sh
# Stands in for Prisma 7's native schema engine, which is not installed here: the CLI would
# download it from outside the npm registry. `prisma generate` never starts it. Anything that does
# (`migrate`, `db`) gets an error saying so — pointing the CLI at /bin/true instead makes
# `migrate diff` print an empty diff and succeed. Migrations: `npm run migration:new`
# (docs/decisions/0002-migrations.md).
message="Prisma 7's schema engine is not installed here (offline install). Write migrations with: npm run migration:new -- <context> <name>"
for arg in "$@"; do
  # One-shot commands (`cli can-connect-to-database`, ...): the CLI shows what exits with an error.
  if [ "$arg" = cli ]; then echo "$message" >&2; exit 1; fi
done
# Otherwise the CLI speaks JSON-RPC over stdin/stdout: answer its first request with the error.
read -r request
id=$(printf '%s' "$request" | sed -n 's/^{"id":\([0-9]*\),.*/\1/p')
printf '{"jsonrpc":"2.0","id":%s,"error":{"code":-32000,"message":"%s","data":{"is_panic":false,"message":"%s","meta":null,"error_code":null}}}\n' "${id:-1}" "$message" "$message"
