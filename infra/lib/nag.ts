import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { rules } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/**
 * The wildcard grants aws-cdk-lib's BucketDeployment gives its uploader, as cdk-nag reports
 * them: object-level actions and object ARNs of the assets bucket and the site bucket, and
 * CloudFront invalidations (which BucketDeployment grants on "*").
 */
const KNOWN_UPLOADER_WILDCARDS = [
  /^Action::s3:(GetObject|GetBucket|List|DeleteObject|Abort)\*$/,
  /^Resource::.+\/\*$/,
  /^Resource::\*$/,
];

/**
 * Acknowledges cdk-nag findings on the functions aws-cdk-lib adds by itself (BucketDeployment's
 * uploader), whose runtime and role this stack does not write. Only findings of known shape
 * are acknowledged: if a CDK upgrade widens the uploader's permissions, synthesis fails and a
 * person looks at it.
 */
export const acknowledgeCdkProvidedFunctions = (stack: Stack): void => {
  for (const uploader of stack.node.children.filter((c) =>
    c.node.id.startsWith('Custom::CDKBucketDeployment'),
  )) {
    Validations.of(uploader).acknowledge(
      {
        id: 'AwsSolutions-L1',
        reason:
          "BucketDeployment's uploader runs the Python runtime aws-cdk-lib pins for it; it runs " +
          'only during deployments and moves with aws-cdk-lib upgrades.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          "aws-cdk-lib gives BucketDeployment's uploader the basic execution role for its logs; " +
          'it is not configurable.',
      },
    );
    for (const finding of wildcardFindings(uploader)) {
      if (!KNOWN_UPLOADER_WILDCARDS.some((known) => known.test(finding))) continue;
      Validations.of(uploader).acknowledge({
        id: `AwsSolutions-IAM5[${finding}]`,
        reason:
          'Granted by aws-cdk-lib to BucketDeployment: read the build from the CDK assets ' +
          'bucket, replace the objects of the site bucket, invalidate the distribution.',
      });
    }
  }
};

/** What cdk-nag's IAM5 rule reports for the IAM policies under `scope`. */
const wildcardFindings = (scope: IConstruct): string[] =>
  scope.node
    .findAll()
    .filter((c): c is iam.CfnPolicy => CfnResource.isCfnResource(c) && c instanceof iam.CfnPolicy)
    .flatMap((policy) => {
      const findings = rules.iam.IAMNoWildcardPermissions(policy);
      return Array.isArray(findings) ? findings : [];
    });

/**
 * The id that acknowledges cdk-nag's IAM5 finding on one resource of a policy: the rule
 * names a resource by its ARN with CloudFormation references flattened (`{Ref: X}` as `<X>`,
 * `Fn::GetAtt` as `<X.Attr>`, `Fn::Join` joined). Made from the ARN the policy holds, so it
 * matches in every environment: the CDK CLI always gives the app a region (us-east-1 unless
 * the profile says otherwise), written into ARNs as is, where an environment-agnostic
 * synthesis writes `<AWS::Region>`; the same for the account with credentials.
 */
export const wildcardResourceFinding = (scope: IConstruct, arn: string): string =>
  `AwsSolutions-IAM5[Resource::${flattenReference(Stack.of(scope).resolve(arn))}]`;

const flattenReference = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const reference = value as Record<string, unknown>;
  if ('Ref' in reference) return `<${reference.Ref}>`;
  if ('Fn::GetAtt' in reference) return `<${(reference['Fn::GetAtt'] as string[]).join('.')}>`;
  if ('Fn::Join' in reference) {
    const [delimiter, parts] = reference['Fn::Join'] as [string, unknown[]];
    return parts.map(flattenReference).join(delimiter);
  }
  throw new Error(`cannot name ${JSON.stringify(value)} as cdk-nag does`);
};
