import { CfnResource, type Stack, Validations } from 'aws-cdk-lib';
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
 * Acknowledges cdk-nag's IAM5 findings on the policies under `scope` whose resource ends with
 * `resourceSuffix`, named exactly as the rule names them: the rule itself is run on those
 * policies now. So the ids match in every environment (the CDK CLI always gives the app a
 * region, written into ARNs as is, where an environment-agnostic synthesis writes
 * `<AWS::Region>`; the same for the account with credentials). None found is an error: the
 * grant changed, and a person looks at it.
 */
export const acknowledgeWildcardResources = (
  scope: IConstruct,
  resourceSuffix: string,
  reason: string,
): void => {
  const findings = wildcardFindings(scope).filter(
    (finding) => finding.startsWith('Resource::') && finding.endsWith(resourceSuffix),
  );
  if (findings.length === 0)
    throw new Error(`no wildcard resource ending in ${resourceSuffix} under ${scope.node.path}`);
  for (const finding of findings)
    Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
};
