import { Kind, type DirectiveNode, type ValueNode, type VariableDefinitionNode } from 'graphql';

/** The subscriber's variables as sent, and the operation's definitions of them (their defaults). */
export interface SubscriberVariables {
  values: Readonly<Record<string, unknown>>;
  definitions: readonly VariableDefinitionNode[];
}

/**
 * Whether the subscriber's `@skip(if: true)` or `@include(if: false)` leaves a selection out of the
 * frame — by a literal, a variable sent, or a variable's default — so that nothing is loaded for
 * it. A condition that cannot be read (a variable sent as null or not a Boolean) keeps it in: the
 * subgraph, which validates the variables, answers it as before.
 */
export function leftOut(
  node: { directives?: readonly DirectiveNode[] },
  variables: SubscriberVariables,
): boolean {
  for (const directive of node.directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const condition = booleanOf(
      directive.arguments?.find((argument) => argument.name.value === 'if')?.value,
      variables,
    );
    if (condition !== undefined && condition === (name === 'skip')) return true;
  }
  return false;
}

function booleanOf(
  value: ValueNode | undefined,
  { values, definitions }: SubscriberVariables,
): boolean | undefined {
  if (value?.kind === Kind.BOOLEAN) return value.value;
  if (value?.kind !== Kind.VARIABLE) return undefined;
  const name = value.name.value;
  if (Object.hasOwn(values, name)) return typeof values[name] === 'boolean' ? values[name] : undefined;
  const fallback = definitions.find((definition) => definition.variable.name.value === name)?.defaultValue;
  return fallback?.kind === Kind.BOOLEAN ? fallback.value : undefined;
}
