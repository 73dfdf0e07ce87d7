import type { FetchNode } from '@apollo/query-planner';
import {
  Kind,
  parse,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import type { LiveField, StreamEvent } from './live-events.js';
import { leftOut, type SubscriberVariables } from './skipped-selections.js';

/** Loads the entity for a selection the event alone cannot answer. */
export type LoadEntity = (
  selection: SelectionSetNode,
  fragments: readonly FragmentDefinitionNode[],
  variableDefinitions: readonly VariableDefinitionNode[],
) => Promise<Record<string, unknown>>;

/**
 * The primary fetch of a subscription plan — the one that would go to the subgraph declaring the
 * subscription field — answered from the event: its own fields (cursor, change, occurredAt) from
 * `live.fromEvent`, and the entity it is about from the event's facts when the selection asks for
 * nothing more, or else from `loadEntity`. What the subscriber's `@skip`/`@include` leave out is
 * neither answered nor loaded: the entity field itself, a fragment around it, or the fields of the
 * entity the event does not state (before, each was loaded from the subgraph for nothing).
 */
export async function answerFromEvent(
  primary: FetchNode,
  live: LiveField,
  streamEvent: StreamEvent,
  loadEntity: LoadEntity,
  values: Readonly<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const document = primary.operationDocumentNode ?? parse(primary.operation);
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const fragments = document.definitions.filter(
    (definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION,
  );
  const root = operation?.selectionSet.selections.find(
    (selection): selection is FieldNode => selection.kind === Kind.FIELD,
  );
  if (!root?.selectionSet) throw new Error('unexpected primary fetch shape');
  const variables: SubscriberVariables = { values, definitions: operation?.variableDefinitions ?? [] };

  const fromEvent = live.fromEvent(streamEvent);
  const payload: Record<string, unknown> = {};
  for (const field of fieldsOf(root.selectionSet, variables)) {
    const key = field.alias?.value ?? field.name.value;
    if (live.entity && field.name.value === live.entity.field && field.selectionSet) {
      payload[key] =
        fromEventAlone(field.selectionSet, live.entity.known(streamEvent.event), variables) ??
        (await loadEntity(field.selectionSet, fragments, operation?.variableDefinitions ?? []));
    } else {
      payload[key] = fromEvent[field.name.value] ?? null;
    }
  }
  return { [root.alias?.value ?? root.name.value]: payload };
}

/** The entity answered from the event's own facts, if the selection asks for nothing more. */
function fromEventAlone(
  selection: SelectionSetNode,
  known: Record<string, unknown>,
  variables: SubscriberVariables,
): Record<string, unknown> | undefined {
  const entity: Record<string, unknown> = {};
  for (const node of selection.selections) {
    if (leftOut(node, variables)) continue;
    if (node.kind !== Kind.FIELD || node.selectionSet || !(node.name.value in known)) return undefined;
    entity[node.alias?.value ?? node.name.value] = known[node.name.value];
  }
  return entity;
}

/** The fields a frame answers: those (and the fragments) the subscriber's directives leave in. */
function* fieldsOf(selectionSet: SelectionSetNode, variables: SubscriberVariables): Generator<FieldNode> {
  for (const selection of selectionSet.selections) {
    if (leftOut(selection, variables)) continue;
    if (selection.kind === Kind.FIELD) yield selection;
    else if (selection.kind === Kind.INLINE_FRAGMENT) yield* fieldsOf(selection.selectionSet, variables);
  }
}
