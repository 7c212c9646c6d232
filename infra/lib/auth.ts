import { Duration, Fn, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

export interface AuthProps {
  stageName: string;
  /** The web app's origin: sign-in and sign-out return to `<webUrl>/signin`. */
  webUrl: string;
  removalPolicy: RemovalPolicy;
  deletionProtection: boolean;
}

/**
 * Cognito for AUTH_MODE=cognito: a user pool anyone can sign up to, a public client for the
 * web app (authorization code + PKCE, no secret), and the hosted sign-in pages.
 */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly webClient: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Lite: the cheapest plan with all this app uses (hosted UI, code + PKCE, TOTP);
      // 10,000 monthly active users free.
      featurePlan: cognito.FeaturePlan.LITE,
      selfSignUpEnabled: true,
      // The user name becomes the @handle (the API folds it into a-z 0-9 _): access tokens
      // carry `username` but not `preferred_username`. E-mail works for sign-in too.
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: {
        email: { required: true, mutable: true },
        preferredUsername: { required: false, mutable: true },
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP, no SMS): a demo chat anyone can sign up to; requiring a second ' +
        'factor at sign-up would keep most people from trying it.',
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'Threat protection (compromised credentials, adaptive sign-in) needs the Plus plan, ' +
        'billed per monthly active user from the first one; Lite keeps 10,000 users free.',
    });

    this.webClient = this.userPool.addClient('WebClient', {
      // A browser cannot keep a secret: a public client, with PKCE protecting the code.
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${props.webUrl}/signin`],
        logoutUrls: [`${props.webUrl}/signin`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    });

    this.domain = this.userPool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: `cruddur-${props.stageName}-${deploymentSuffix(this)}` },
    });
  }

  /** `https://<prefix>.auth.<region>.amazoncognito.com` */
  get domainUrl(): string {
    return this.domain.baseUrl();
  }
}

/**
 * Cognito domain prefixes are unique per region across all accounts. The first 8 hex digits
 * of the stack's id (a UUID CloudFormation assigns at creation) make the prefix unique without
 * knowing the account at synth time, and stable for the life of the stack.
 */
const deploymentSuffix = (scope: Construct): string =>
  Fn.select(0, Fn.split('-', Fn.select(2, Fn.split('/', Stack.of(scope).stackId))));
