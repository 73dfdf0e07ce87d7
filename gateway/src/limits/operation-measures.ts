/** What the limits are checked against: an operation's figures, fragments written out in place. */
export interface OperationMeasures {
  depth: number;
  cost: number;
  aliases: number;
  directives: number;
  rootFields: number;
  /** How often one path through introspection expands a type's members (`fields`, `inputFields`…). */
  introspectionNesting: number;
}

/** The figures of one selection set, while the walk adds them up. */
export interface Measure {
  depth: number;
  cost: number;
  aliases: number;
  directives: number;
  fields: number; // field selections at this level, fragments included (root fields when at the root)
  nesting: number; // member expansions along the deepest introspection path
}

export const NOTHING: Measure = { depth: 0, cost: 0, aliases: 0, directives: 0, fields: 0, nesting: 0 };

/** Capped so that a fan-out of 2^1000 stays a finite number in the error we send back. */
const CEILING = 1e15;
export const capped = (value: number) => Math.min(value, CEILING);

/** Adds `part`, a selection beside the others, to `total`: depths are the deepest, counts add up. */
export function accumulate(total: Measure, part: Measure): void {
  total.depth = Math.max(total.depth, part.depth);
  total.nesting = Math.max(total.nesting, part.nesting);
  total.cost = capped(total.cost + part.cost);
  total.aliases = capped(total.aliases + part.aliases);
  total.directives = capped(total.directives + part.directives);
  total.fields = capped(total.fields + part.fields);
}

/** `measure` with the directives written on the fragment or spread that brought it in. */
export const withDirectives = (measure: Measure, directives: number): Measure => ({
  ...measure,
  directives: capped(measure.directives + directives),
});
