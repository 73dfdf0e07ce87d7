import { Kind, type GraphQLField, type OperationDefinitionNode, type ValueNode } from 'graphql';
import { LIST_SIZES } from './operation-limits.js';

/** How many items a list field is taken to return, and which variables said so (`weighOperation`). */
export class ListSizes {
  private readonly read = new Set<string>();

  constructor(
    private readonly operation: OperationDefinitionNode,
    private readonly variables: Record<string, unknown>,
    private readonly assumedListSize: number,
  ) {}

  /** A `first` argument: a literal, the variable's value as sent, or the variable's declared default. */
  first(value: ValueNode | undefined): number | undefined {
    if (value?.kind === Kind.INT) return Number(value.value);
    if (value?.kind === Kind.VARIABLE) {
      this.read.add(value.name.value);
      const given = this.variables[value.name.value];
      if (typeof given === 'number' && Number.isFinite(given)) return given;
      const declared = this.operation.variableDefinitions?.find(
        (v) => v.variable.name.value === value.name.value,
      );
      return declared?.defaultValue?.kind === Kind.INT ? Number(declared.defaultValue.value) : undefined;
    }
    return undefined;
  }

  /**
   * The default of a field's `first` argument: what the subgraph serves when a query leaves it out
   * (`Member.products`), which may differ from the size assumed for lists without one.
   */
  static declaredFirst(field: GraphQLField<unknown, unknown> | undefined): number | undefined {
    const declared = field?.args.find((arg) => arg.name === 'first')?.defaultValue;
    return typeof declared === 'number' && Number.isFinite(declared) ? declared : undefined;
  }

  /**
   * A list field's size: its `first`, for `edges` / `nodes` its connection's, else the size named
   * for it in `LIST_SIZES`, else the assumed size.
   */
  of(
    parentTypeName: string | undefined,
    fieldName: string,
    first: number | undefined,
    connectionSize: number | undefined,
  ): number {
    return (
      first ??
      (fieldName === 'edges' || fieldName === 'nodes' ? connectionSize : undefined) ??
      LIST_SIZES[`${parentTypeName}.${fieldName}`] ??
      this.assumedListSize
    );
  }

  get readsVariables(): string[] {
    return [...this.read];
  }
}
