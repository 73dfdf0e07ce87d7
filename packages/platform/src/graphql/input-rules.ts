import type { z } from 'zod';

type Issue = z.core.$ZodRawIssue;

const count = (n: unknown) => (typeof n === 'number' ? n.toLocaleString('en-US') : String(n));

/**
 * zod's error map for arguments: each issue as the rule it broke, in words a person reads ("must be
 * at most 50", "is required"), never zod's own English ("Too big: expected string to have <=3200
 * characters"). `badUserInput` puts the field before it. A schema's own `error` wins over this one:
 * text the domain limits in characters says its limit in them (`textOfAtMost`), not its raw cap.
 */
export const ruleBroken: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === null ? 'is required' : typeExpected(issue.expected);
    case 'too_big':
      return bound(issue, 'most', issue.maximum);
    case 'too_small':
      return issue.origin === 'string' && Number(issue.minimum) === 1
        ? 'must not be empty'
        : bound(issue, 'least', issue.minimum);
    case 'invalid_format':
      return FORMATS[issue.format] ?? 'is not in the expected form';
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${count(issue.divisor)}`;
    case 'unrecognized_keys':
      return `holds fields it does not know: ${issue.keys.join(', ')}`;
    case 'invalid_union':
      return 'matches none of the forms it may take';
    default:
      return 'is not valid';
  }
};

function bound(
  issue: Issue & { origin: string; inclusive?: boolean },
  side: 'most' | 'least',
  limit: unknown,
) {
  const exclusive = issue.inclusive === false;
  const n = count(limit);
  switch (issue.origin) {
    case 'string':
      return `must be at ${side} ${n} characters`;
    case 'array':
    case 'set':
      return `must hold at ${side} ${n} items`;
    default:
      if (exclusive) return `must be ${side === 'most' ? 'less' : 'more'} than ${n}`;
      return `must be at ${side} ${n}`;
  }
}

const typeExpected = (expected: string) =>
  ({
    int: 'must be a whole number',
    number: 'must be a number',
    string: 'must be text',
    boolean: 'must be true or false',
    array: 'must be a list',
    object: 'must be an object',
  })[expected] ?? `must be ${expected}`;

const FORMATS: Record<string, string> = {
  uuid: 'must be an id (a UUID)',
  guid: 'must be an id (a UUID)',
  email: 'must be an email address',
  url: 'must be a URL',
  datetime: 'must be an ISO-8601 date and time',
};

/** A refused field's issue as the sentence clients show: "title must be at most 100 characters." */
export function sentenceOf(issue: { path: readonly PropertyKey[]; message: string }): string {
  const field = issue.path.map(String).join('.');
  return `${field || 'The input'} ${issue.message}.`;
}
