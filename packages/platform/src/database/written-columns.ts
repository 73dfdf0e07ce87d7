import { join, raw, type Sql } from '@prisma/client/runtime/client';

/**
 * The columns a hand-written write stores, keyed by the Prisma model's field names (field → column).
 * A repository's one-statement upsert is built from this one list, and a test holds the list to the
 * model's scalar fields: a column added to schema.prisma and forgotten here would compile and never
 * be written.
 */
export type WrittenColumns<Field extends string> = Readonly<Partial<Record<Field, string>>>;

/** The column names, comma-separated in the list's order: `a, b, c`. */
export function columnNames(columns: WrittenColumns<string>): Sql {
  return raw(names(columns).map(quoted).join(', '));
}

/** Each column's value, in the order of `columnNames` (a VALUES row, or the arrays of an unnest). */
export function columnValues<Field extends string>(
  columns: WrittenColumns<Field>,
  values: Readonly<Record<NoInfer<Field>, Sql>>,
): Sql {
  return join(fields(columns).map((field) => values[field]));
}

/** `a = EXCLUDED.a, …` for every column but those named (the conflict's key, or one merged otherwise). */
export function setFromExcluded<Field extends string>(
  columns: WrittenColumns<Field>,
  except: readonly Field[],
): Sql {
  const set = fields(columns)
    .filter((field) => !except.includes(field))
    .map((field) => quoted(columns[field] as string))
    .map((column) => `${column} = EXCLUDED.${column}`);
  return raw(set.join(', '));
}

const fields = <Field extends string>(columns: WrittenColumns<Field>) => Object.keys(columns) as Field[];
const names = (columns: WrittenColumns<string>) => Object.values(columns) as string[];
// Names from code, never from input; quoted all the same, so a reserved word stays a column.
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
