import { Match } from 'aws-cdk-lib/assertions';
import type { DynamoAuthorization } from './dynamodb-recorder.js';
import { functionIds, type Synthesized } from './synthesize.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';

/** The ARN IAM checks for a request on `table` (or its `index`). */
export const arnOf = ({ table, index }: Pick<DynamoAuthorization, 'table' | 'index'>): string =>
  `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${table}${index === undefined ? '' : `/index/${index}`}`;

/** One Allow statement of a role, its resources resolved as CloudFormation would. */
export interface AllowStatement {
  sid?: string;
  actions: string[];
  resources: string[];
}

type Json = unknown;

/**
 * A template value as CloudFormation resolves it, for a stack whose one table is named
 * `tableName`: the table's Arn and StreamArn, the pseudo parameters, Fn::Join. Anything else
 * resolves to a string no ARN matches.
 */
const resolver =
  (tableId: string, tableName: string) =>
  (value: Json): string => {
    const resolve = resolver(tableId, tableName);
    if (typeof value === 'string') return value;
    const node = value as Record<string, Json>;
    if ('Fn::Join' in node) {
      const [separator, parts] = node['Fn::Join'] as [string, Json[]];
      return parts.map(resolve).join(separator);
    }
    if ('Fn::GetAtt' in node) {
      const [id, attribute] = node['Fn::GetAtt'] as [string, string];
      if (id === tableId && attribute === 'Arn') return arnOf({ table: tableName });
      if (id === tableId && attribute === 'StreamArn')
        return `${arnOf({ table: tableName })}/stream/latest`;
    }
    if ('Ref' in node) {
      const ref = node.Ref;
      if (ref === 'AWS::Region') return REGION;
      if (ref === 'AWS::AccountId') return ACCOUNT;
      if (ref === 'AWS::Partition') return 'aws';
      if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
      if (ref === tableId) return tableName;
    }
    return `<unresolved ${JSON.stringify(value)}>`;
  };

const list = (value: Json): Json[] => (Array.isArray(value) ? value : [value]);

/**
 * The Allow statements of the role of the function whose description matches: its inline
 * policies and every AWS::IAM::Policy attached to it, resolved for a table named `tableName`.
 */
export const allowStatementsOf = (
  s: Synthesized,
  description: RegExp,
  tableName: string,
): AllowStatement[] => {
  const resources = s.template.toJSON().Resources as Record<
    string,
    { Type: string; Properties: Record<string, Json> }
  >;
  const { role: roleId, table } = functionIds(s.template, {
    Properties: { Description: Match.stringLikeRegexp(description.source) },
  });
  const resolve = resolver(table, tableName);

  const documents: Json[] = [
    ...list(resources[roleId]?.Properties.Policies ?? []).map(
      (p) => (p as { PolicyDocument: Json }).PolicyDocument,
    ),
    ...Object.entries(resources)
      .filter(
        ([, r]) =>
          r.Type === 'AWS::IAM::Policy' &&
          list(r.Properties.Roles).some((role) => (role as { Ref?: string }).Ref === roleId),
      )
      .map(([, r]) => r.Properties.PolicyDocument),
  ];
  return documents
    .flatMap((document) => list((document as { Statement: Json }).Statement))
    .map((statement) => statement as Record<string, Json>)
    .filter((statement) => statement.Effect === 'Allow')
    .map((statement) => {
      if (statement.NotAction !== undefined || statement.NotResource !== undefined)
        throw new Error(`a statement this check cannot read: ${JSON.stringify(statement)}`);
      return {
        ...(typeof statement.Sid === 'string' ? { sid: statement.Sid } : {}),
        actions: list(statement.Action).map(String),
        resources: list(statement.Resource).map(resolve),
      };
    });
};

/** IAM's wildcards: `*` any run of characters, `?` any one; case-insensitive for actions. */
const matches = (pattern: string, value: string, ignoreCase = false): boolean => {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
};

/** Whether some statement allows the action on the table or index. */
export const isAllowed = (statements: AllowStatement[], need: DynamoAuthorization): boolean =>
  statements.some(
    (statement) =>
      statement.actions.some((action) => matches(action, need.action, true)) &&
      statement.resources.some((resource) => matches(resource, arnOf(need))),
  );

/** `dynamodb:Query on table`, `dynamodb:Query on index message-group-sk-index`. */
export const describeAuthorization = (need: DynamoAuthorization): string =>
  `${need.action} on ${need.index === undefined ? 'table' : `index ${need.index}`}`;
